package dev.reel.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.Rendition;
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

    @Test
    void tokenFollowsEveryUriOfARenditionPlaylist() {
        String playlist = "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2.0,\nseg-00001.m4s\n#EXTINF:2.0,\nseg-00002.m4s\n#EXT-X-ENDLIST\n";
        String query = Playlists.tokenQuery("123.ab-_c");
        assertThat(Playlists.withQuery(playlist, query)).isEqualTo(
                "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4?token=123.ab-_c\"\n#EXTINF:2.0,\nseg-00001.m4s?token=123.ab-_c\n"
                        + "#EXTINF:2.0,\nseg-00002.m4s?token=123.ab-_c\n#EXT-X-ENDLIST\n");
    }
}
