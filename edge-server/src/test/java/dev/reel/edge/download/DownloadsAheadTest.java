package dev.reel.edge.download;

import static org.assertj.core.api.Assertions.assertThat;

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

class DownloadsAheadTest {

    private static final Rendition AUDIO = new Rendition("audio", 0, 0, 132_000, 128_000, "mp4a.40.2", 0,
            "media/vid/audio/index.m3u8", 3, 6, false, RenditionKind.AUDIO, false);

    private static Rendition rung(String name, int height, RenditionKind kind, boolean interim, boolean growing) {
        return new Rendition(name, height * 16 / 9, height, 1_000_000, 900_000, "avc1.64001f", 30,
                "media/vid/" + name + "/index.m3u8", 3, 6, growing, kind, interim);
    }

    private static VideoRecord video(VideoState state, boolean downloadsOff, String audioCodec, List<Rendition> renditions) {
        return new VideoRecord("vid", "t", null, Visibility.PUBLIC, "o",
                new SourceFacts(1, "0".repeat(64), 6, 1920, 1080, "h264", audioCodec, "originals/vid/source", null), state, 100,
                null, renditions, null, downloadsOff, List.of(), Map.of(), Instant.EPOCH, 3);
    }

    private static List<String> files(VideoRecord video) {
        return DownloadsAhead.plan(video).stream().map(p -> p.file().fileName() + "<" + p.source().name()
                + (p.audio() == null ? "" : "+" + p.audio().name())).toList();
    }

    @Test
    void aReadyDemuxedLadderGetsEveryRungWithTheAudioAndTheM4aOfTheAudioRendition() {
        VideoRecord video = video(VideoState.READY, false, "aac", List.of(AUDIO,
                rung("240p", 240, RenditionKind.VIDEO, false, false), rung("720p", 720, RenditionKind.VIDEO, false, false),
                rung("source", 1080, RenditionKind.MUXED, true, false)));
        assertThat(files(video)).containsExactly("240p.mp4<240p+audio", "720p.mp4<720p+audio", "audio.m4a<audio");
    }

    @Test
    void aMuxedLadderTakesItsAudioFromTheTopRungAndASilentVideoHasNoM4a() {
        List<Rendition> muxed = List.of(rung("240p", 240, RenditionKind.MUXED, false, false),
                rung("480p", 480, RenditionKind.MUXED, false, false));
        assertThat(files(video(VideoState.READY, false, "aac", muxed))).containsExactly("240p.mp4<240p", "480p.mp4<480p",
                "audio.m4a<480p");
        assertThat(files(video(VideoState.READY, false, null, muxed))).containsExactly("240p.mp4<240p", "480p.mp4<480p");
    }

    @Test
    void nothingBeforeReadyWithDownloadsOffOrWhileSomethingStillGrows() {
        List<Rendition> ladder = List.of(AUDIO, rung("240p", 240, RenditionKind.VIDEO, false, false));
        assertThat(files(video(VideoState.PLAYABLE, false, "aac", ladder))).isEmpty();
        assertThat(files(video(VideoState.READY, true, "aac", ladder))).isEmpty();
        Rendition growingAudio = new Rendition("audio", 0, 0, 132_000, 128_000, "mp4a.40.2", 0, "media/vid/audio/index.m3u8",
                3, 6, true, RenditionKind.AUDIO, false);
        assertThat(files(video(VideoState.READY, false, "aac",
                List.of(growingAudio, rung("240p", 240, RenditionKind.VIDEO, false, false))))).isEmpty();
        assertThat(files(video(VideoState.READY, false, null,
                List.of(rung("240p", 240, RenditionKind.MUXED, false, true))))).isEmpty();
    }
}
