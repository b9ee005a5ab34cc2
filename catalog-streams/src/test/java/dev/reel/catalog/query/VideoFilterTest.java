package dev.reel.catalog.query;

import static dev.reel.catalog.TestEvents.at;
import static dev.reel.catalog.TestEvents.uploaded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.catalog.topology.VideoFold;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VideoFilterTest {

    private final VideoRecord uploadedPublic = VideoFold.apply(null, at(Instant.EPOCH, uploaded("vid_0123456789A")))
            .orElseThrow().record().orElseThrow();

    @Test
    void matchesOnStateAndVisibility() {
        assertThat(new VideoFilter(null, null, null).matches(uploadedPublic)).isTrue();
        assertThat(new VideoFilter(VideoState.UPLOADED, Visibility.PUBLIC, null).matches(uploadedPublic)).isTrue();
        assertThat(new VideoFilter(VideoState.READY, Visibility.PUBLIC, null).matches(uploadedPublic)).isFalse();
        assertThat(new VideoFilter(null, Visibility.PRIVATE, null).matches(uploadedPublic)).isFalse();
        assertThat(new VideoFilter(null, null, uploadedPublic.owner()).matches(uploadedPublic)).isTrue();
        assertThat(new VideoFilter(null, null, "someone-else").matches(uploadedPublic)).as("another owner's").isFalse();
    }

    @Test
    void travelsToOtherInstancesAsQueryParameters() {
        assertThat(new VideoFilter(VideoState.READY, Visibility.UNLISTED, null).asQueryParameters())
                .isEqualTo("&state=READY&visibility=unlisted");
        assertThat(new VideoFilter(null, null, "me@x").asQueryParameters()).isEqualTo("&visibility=any&owner=me%40x");
    }
}
