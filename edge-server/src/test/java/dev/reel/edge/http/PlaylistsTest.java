package dev.reel.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.CaptionKind;
import dev.reel.events.CaptionTrack;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.SourceFacts;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaylistsTest {

    private static Rendition rendition(String name, int height, long bandwidth) {
        return new Rendition(name, height * 16 / 9, height, bandwidth, bandwidth * 9 / 10, "avc1.4d401e,mp4a.40.2", 30,
                "media/vid/" + name + "/index.m3u8", 3, 6, false);
    }

    @Test
    void masterListsEveryReadyRenditionLowestFirst() {
        VideoRecord video = new VideoRecord("vid", "t", null, Visibility.PUBLIC, "o",
                new SourceFacts(1, "0".repeat(64), 6, 1280, 720, "h264", null, "originals/vid/source", null),
                VideoState.PLAYABLE, 50, null, List.of(rendition("240p", 240, 400_000), rendition("360p", 360, 800_000)),
                null, Map.of(), Instant.EPOCH, 3);
        String master = Playlists.master(video, "");
        assertThat(master).startsWith("#EXTM3U\n").contains(
                "#EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=360000,RESOLUTION=426x240,FRAME-RATE=30.000,CODECS=\"avc1.4d401e,mp4a.40.2\"\n240p/index.m3u8\n");
        assertThat(master.indexOf("240p/")).isLessThan(master.indexOf("360p/"));
    }

    private static Rendition video(String name, int height, long bandwidth, boolean interim) {
        return new Rendition(name, height * 16 / 9, height, bandwidth, bandwidth * 9 / 10, "avc1.64001f", 30,
                "media/vid/" + name + "/index.m3u8", 3, 6, false, RenditionKind.VIDEO, interim);
    }

    private static VideoRecord record(VideoState state, List<Rendition> renditions) {
        return new VideoRecord("vid", "t", null, Visibility.PUBLIC, "o",
                new SourceFacts(1, "0".repeat(64), 6, 1920, 1080, "h264", "aac", "originals/vid/source", null), state, 50, null,
                renditions, null, Map.of(), Instant.EPOCH, 3);
    }

    @Test
    void videoRenditionsPlayWithTheAudioGroupWhoseRatesAndCodecsTheyInclude() {
        Rendition audio = new Rendition("audio", 0, 0, 132_000, 128_000, "mp4a.40.2", 0, "media/vid/audio/index.m3u8", 3, 6,
                false, RenditionKind.AUDIO, false);
        String master = Playlists.master(record(VideoState.PLAYABLE, List.of(audio, video("240p", 240, 400_000, false))),
                "?token=t");
        assertThat(master).contains(
                "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"audio\",DEFAULT=YES,AUTOSELECT=YES,URI=\"audio/index.m3u8?token=t\"\n",
                "#EXT-X-STREAM-INF:BANDWIDTH=532000,AVERAGE-BANDWIDTH=488000,RESOLUTION=426x240,FRAME-RATE=30.000,"
                        + "CODECS=\"avc1.64001f,mp4a.40.2\",AUDIO=\"audio\"\n240p/index.m3u8?token=t\n");
        assertThat(master.lines().filter(line -> line.startsWith("#EXT-X-STREAM-INF:"))).hasSize(2);

        String silent = Playlists.master(record(VideoState.PLAYABLE, List.of(video("240p", 240, 400_000, false))), "");
        assertThat(silent).doesNotContain("EXT-X-MEDIA", "AUDIO=").contains("CODECS=\"avc1.64001f\"\n240p/index.m3u8\n");
    }

    @Test
    void demuxedAudioIsAlsoAnAudioOnlyVariantListedLastThatPlaysTheGroupsRendition() {
        Rendition audio = new Rendition("audio", 0, 0, 132_000, 128_000, "mp4a.40.2", 0, "media/vid/audio/index.m3u8", 3, 6,
                false, RenditionKind.AUDIO, false);
        CaptionTrack en = new CaptionTrack("en", "English", CaptionKind.SUBTITLES, "media/vid/captions/en/b.vtt", 10, 1);
        VideoRecord video = record(VideoState.READY,
                List.of(audio, video("240p", 240, 400_000, false), video("720p", 720, 2_000_000, false)));
        VideoRecord captioned = new VideoRecord(video.videoId(), video.title(), video.description(), video.visibility(),
                video.owner(), video.source(), video.state(), video.progressPercent(), video.failureReason(),
                video.renditions(), video.posterKey(), false, List.of(en), video.transitions(), video.updatedAt(),
                video.version());

        String master = Playlists.master(captioned, "?token=t");

        List<String> variants = master.lines().filter(line -> line.startsWith("#EXT-X-STREAM-INF:")).toList();
        assertThat(variants).hasSize(3);
        // the audio rendition's own rates and codec, no picture attributes, the group, and the text tracks like any variant
        assertThat(variants.getLast()).isEqualTo("#EXT-X-STREAM-INF:BANDWIDTH=132000,AVERAGE-BANDWIDTH=128000,"
                + "CODECS=\"mp4a.40.2\",AUDIO=\"audio\",SUBTITLES=\"subs\"");
        assertThat(variants.getFirst()).contains("RESOLUTION=426x240"); // players start with the first listed
        assertThat(master).endsWith("#EXT-X-STREAM-INF:BANDWIDTH=132000,AVERAGE-BANDWIDTH=128000,CODECS=\"mp4a.40.2\","
                + "AUDIO=\"audio\",SUBTITLES=\"subs\"\naudio/index.m3u8?token=t\n");
        // the same URI as the group's default rendition: switching to the variant keeps the audio already buffered
        assertThat(master).contains("DEFAULT=YES,AUTOSELECT=YES,URI=\"audio/index.m3u8?token=t\"");
    }

    @Test
    void aVideoWhoseAudioIsMuxedOnlyHasNoAudioOnlyVariant() {
        String muxed = Playlists.master(withCaptions(List.of()), "");
        assertThat(muxed.lines().filter(line -> line.startsWith("#EXT-X-STREAM-INF:")))
                .hasSize(2).allMatch(line -> line.contains("RESOLUTION="));
        assertThat(muxed).doesNotContain("AUDIO=");
    }

    @Test
    void anInterimPassthroughIsOfferedOnlyUntilTheVideoIsReady() {
        List<Rendition> renditions = List.of(video("240p", 240, 400_000, false), video("source", 1080, 8_000_000, true));
        assertThat(Playlists.master(record(VideoState.PLAYABLE, renditions), "")).contains("source/index.m3u8");
        assertThat(Playlists.master(record(VideoState.READY, renditions), "")).doesNotContain("source/")
                .contains("240p/index.m3u8");
    }

    private static VideoRecord withCaptions(List<CaptionTrack> captions) {
        return new VideoRecord("vid", "t", null, Visibility.PUBLIC, "o",
                new SourceFacts(1, "0".repeat(64), 6.4, 1280, 720, "h264", null, "originals/vid/source", null),
                VideoState.READY, 100, null, List.of(rendition("240p", 240, 400_000), rendition("360p", 360, 800_000)),
                null, false, captions, Map.of(), Instant.EPOCH, 5);
    }

    @Test
    void textTracksAreASubtitlesGroupEveryVariantReferences() {
        CaptionTrack fr = new CaptionTrack("fr", "Français", CaptionKind.SUBTITLES, "media/vid/captions/fr/a.vtt", 10, 1);
        CaptionTrack en = new CaptionTrack("en", "English", CaptionKind.CAPTIONS, "media/vid/captions/en/b.vtt", 10, 1);
        CaptionTrack enGb = new CaptionTrack("en-GB", "English", CaptionKind.SUBTITLES, "media/vid/captions/en-GB/c.vtt", 10,
                1);

        String master = Playlists.master(withCaptions(List.of(fr, enGb, en)), "?token=t");

        assertThat(master).contains("""
                #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,\
                CHARACTERISTICS="public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound",\
                URI="captions/en.m3u8?token=t"
                #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English (en-GB)",LANGUAGE="en-GB",DEFAULT=NO,AUTOSELECT=YES,\
                FORCED=NO,URI="captions/en-GB.m3u8?token=t"
                #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Français",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,\
                URI="captions/fr.m3u8?token=t"
                """);
        assertThat(master.lines().filter(line -> line.startsWith("#EXT-X-STREAM-INF:")))
                .hasSize(2).allMatch(line -> line.endsWith(",SUBTITLES=\"subs\""));
        assertThat(master.indexOf("#EXT-X-MEDIA")).isLessThan(master.indexOf("#EXT-X-STREAM-INF"));
        assertThat(Playlists.master(withCaptions(List.of()), "")).doesNotContain("SUBTITLES");
    }

    @Test
    void aTextTrackPlaylistIsItsWholeFileAsOneSegment() {
        CaptionTrack fr = new CaptionTrack("fr", "Français", CaptionKind.SUBTITLES, "media/vid/captions/fr/a.vtt", 10, 1);

        assertThat(Playlists.subtitles(withCaptions(List.of(fr)), fr, "?token=t")).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:7
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXTINF:6.400,
                fr.vtt?token=t
                #EXT-X-ENDLIST
                """);
    }

    @Test
    void captionUrlsAreAnAllowList() {
        assertThat(CaptionPath.parse("/v/vid/captions/pt-BR.vtt")).contains(new CaptionPath("vid", "pt-BR", false));
        assertThat(CaptionPath.parse("/v/vid/captions/en.m3u8")).contains(new CaptionPath("vid", "en", true));
        assertThat(CaptionPath.parse("/v/vid/captions/../x.vtt")).isEmpty();
        assertThat(CaptionPath.parse("/v/vid/captions/en.srt")).isEmpty();
        assertThat(CaptionPath.parse("/v/vid/captions/en/index.m3u8")).isEmpty();
    }

    @Test
    void tokenFollowsEveryUriOfARenditionPlaylist() {
        String playlist = "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2.0,\nseg-00001.m4s\n#EXTINF:2.0,\nseg-00002.m4s\n#EXT-X-ENDLIST\n";
        String query = Playlists.tokenQuery("123.ab-_c");
        assertThat(Playlists.withQuery(playlist, query)).isEqualTo(
                "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4?token=123.ab-_c\"\n#EXTINF:2.0,\nseg-00001.m4s?token=123.ab-_c\n"
                        + "#EXTINF:2.0,\nseg-00002.m4s?token=123.ab-_c\n#EXT-X-ENDLIST\n");
    }

    @Test
    void aStoryboardsSpriteReferencesCarryThePrivateVideosTokenBeforeTheirFragment() {
        String vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nstoryboard.jpg#xywh=0,0,160,90\n\n"
                + "00:00:02.000 --> 00:00:04.000\nstoryboard.jpg#xywh=160,0,160,90\n";
        assertThat(Playlists.storyboardWithQuery(vtt, "?token=a.b")).isEqualTo("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n"
                + "storyboard.jpg?token=a.b#xywh=0,0,160,90\n\n00:00:02.000 --> 00:00:04.000\n"
                + "storyboard.jpg?token=a.b#xywh=160,0,160,90\n");
    }
}
