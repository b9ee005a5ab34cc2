package dev.reel.transcoder.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaPlaylistTest {

    /** What ffmpeg writes with {@code -hls_playlist_type event}, once it is done. */
    private static final String FFMPEG_OUTPUT = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:4
            #EXT-X-MEDIA-SEQUENCE:1
            #EXT-X-PLAYLIST-TYPE:EVENT
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="init_0.mp4"
            #EXTINF:4.000000,
            seg-00001.m4s
            #EXTINF:2.000000,
            seg-00002.m4s
            #EXT-X-ENDLIST
            """;

    @Test
    void readsSegmentsDurationsAndTheEnd() {
        MediaPlaylist playlist = MediaPlaylist.parse(FFMPEG_OUTPUT);
        assertThat(playlist.complete()).isTrue();
        assertThat(playlist.segments()).containsExactly(new MediaPlaylist.Segment("seg-00001.m4s", 4.0),
                new MediaPlaylist.Segment("seg-00002.m4s", 2.0));
        assertThat(playlist.durationSeconds()).isEqualTo(6.0);
        assertThat(playlist.initUri()).isEqualTo("init_0.mp4");
        assertThat(MediaPlaylist.parse(FFMPEG_OUTPUT.replace("#EXT-X-ENDLIST\n", "")).complete()).isFalse();
    }

    @Test
    void aCompletePlaylistIsStoredAsVodPointingAtTheStoredInit() {
        String stored = MediaPlaylist.parse(FFMPEG_OUTPUT).storedText("init.mp4", 4);
        assertThat(stored).isEqualTo("""
                #EXTM3U
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXT-X-VERSION:7
                #EXT-X-TARGETDURATION:4
                #EXT-X-MEDIA-SEQUENCE:1
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MAP:URI="init.mp4"
                #EXTINF:4.000000,
                seg-00001.m4s
                #EXTINF:2.000000,
                seg-00002.m4s
                #EXT-X-ENDLIST
                """);
        assertThat(MediaPlaylist.parse(stored).segments()).hasSize(2);
    }

    @Test
    void aGrowingPlaylistIsStoredAsAnEventThatStartsAtTheBeginning() {
        MediaPlaylist first = MediaPlaylist.parse(FFMPEG_OUTPUT).firstSegments(1);
        assertThat(first.complete()).isFalse();
        assertThat(first.segments()).containsExactly(new MediaPlaylist.Segment("seg-00001.m4s", 4.0));
        assertThat(first.storedText("init.mp4", 5)).as("the target duration of the plan, not the longest segment so far")
                .isEqualTo("""
                        #EXTM3U
                        #EXT-X-PLAYLIST-TYPE:EVENT
                        #EXT-X-START:TIME-OFFSET=0
                        #EXT-X-VERSION:7
                        #EXT-X-TARGETDURATION:5
                        #EXT-X-MEDIA-SEQUENCE:1
                        #EXT-X-INDEPENDENT-SEGMENTS
                        #EXT-X-MAP:URI="init.mp4"
                        #EXTINF:4.000000,
                        seg-00001.m4s
                        """);
        assertThat(MediaPlaylist.parse(FFMPEG_OUTPUT).firstSegments(2).storedText("init.mp4", 4))
                .as("all segments, but not yet known to be the end").contains("seg-00002.m4s").doesNotContain("ENDLIST");
    }

    @Test
    void bitRatesArePeakAndAverageOfTheSegments(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("seg-00001.m4s"), new byte[400_000]); // 800 kbit/s over 4 s
        Files.write(dir.resolve("seg-00002.m4s"), new byte[300_000]); // 1200 kbit/s over 2 s
        BitRates rates = BitRates.measure(dir, MediaPlaylist.parse(FFMPEG_OUTPUT));
        assertThat(rates.peak()).isEqualTo(1_200_000);
        assertThat(rates.average()).isEqualTo(933_333); // 700 kB * 8 / 6 s, rounded down
    }

    @Test
    void aSliverOfALastSegmentDoesNotReadAsAPeak(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("seg-00001.m4s"), new byte[64_000]); // 128 kbit/s over 4 s
        Files.write(dir.resolve("seg-00002.m4s"), new byte[1_000]); // one AAC frame and its fragment header: 380 kbit/s
        MediaPlaylist audio = MediaPlaylist.parse("#EXTM3U\n#EXTINF:4.0,\nseg-00001.m4s\n#EXTINF:0.021,\nseg-00002.m4s\n");
        // the 4 s segment's 128 kbit/s, or the average (65 kB over 4.021 s) if that is higher: never the sliver's
        assertThat(BitRates.measure(dir, audio).peak()).isEqualTo(129_321);
        MediaPlaylist onlyShort = MediaPlaylist.parse("#EXTM3U\n#EXTINF:0.5,\nseg-00001.m4s\n");
        assertThat(BitRates.measure(dir, onlyShort).peak()).as("unless all are short").isEqualTo(1_024_000);
    }
}
