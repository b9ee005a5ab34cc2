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

class RenditionFilesTest {

    private static Rendition rendition(boolean growing) {
        return new Rendition("240p", 426, 240, 400_000, 360_000, "avc1.42c015", 25, "media/vid/240p/index.m3u8", 3, 12,
                growing);
    }

    private static VideoRecord video(VideoState state, Rendition rendition) {
        return new VideoRecord("vid", "t", null, Visibility.PUBLIC, "o",
                new SourceFacts(1, "0".repeat(64), 60, 1280, 720, "h264", null, "originals/vid/source", null),
                state, 50, null, List.of(rendition), null, Map.of(), Instant.EPOCH, 3);
    }

    private static MediaPath path(String file) {
        return MediaPath.parse("/v/vid/240p/" + file).orElseThrow();
    }

    @Test
    void aCompleteRenditionHasNoSegmentBeyondItsCount() {
        assertThat(RenditionFiles.mayExist(rendition(false), path("seg-00003.m4s"))).isTrue();
        assertThat(RenditionFiles.mayExist(rendition(false), path("seg-00004.m4s"))).isFalse();
        assertThat(RenditionFiles.mayExist(rendition(false), path("index.m3u8"))).isTrue();
        assertThat(RenditionFiles.mayExist(rendition(false), path("init.mp4"))).isTrue();
    }

    @Test
    void aGrowingRenditionLetsStorageAnswerForSegmentsStoredAfterItsEvent() {
        assertThat(RenditionFiles.mayExist(rendition(true), path("seg-00004.m4s"))).isTrue();
        assertThat(RenditionFiles.mayExist(rendition(true), path("seg-00150.m4s"))).isTrue();
    }

    @Test
    void onlyTheFinalPlaylistOfAReadyVideoIsKeptLong() {
        assertThat(RenditionFiles.playlistMayChange(video(VideoState.PLAYABLE, rendition(true)), rendition(true))).isTrue();
        assertThat(RenditionFiles.playlistMayChange(video(VideoState.PLAYABLE, rendition(false)), rendition(false)))
                .as("the transcoder may still be writing other rungs, and a re-run rewrites it").isTrue();
        assertThat(RenditionFiles.playlistMayChange(video(VideoState.READY, rendition(true)), rendition(true)))
                .as("a growing description never counts as final").isTrue();
        assertThat(RenditionFiles.playlistMayChange(video(VideoState.READY, rendition(false)), rendition(false))).isFalse();
    }
}
