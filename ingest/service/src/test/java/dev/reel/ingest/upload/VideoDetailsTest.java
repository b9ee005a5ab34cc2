package dev.reel.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.events.Visibility;
import dev.reel.service.http.ApiException;
import org.junit.jupiter.api.Test;

class VideoDetailsTest {

    @Test
    void theTitleDefaultsToTheFileNameStem() {
        assertThat(VideoDetails.of(null, null, null, "holiday.final.mp4"))
                .isEqualTo(new VideoDetails("holiday.final", null, Visibility.PUBLIC, "holiday.final.mp4"));
        assertThat(VideoDetails.of(" My clip ", "about it", "PRIVATE", null))
                .isEqualTo(new VideoDetails("My clip", "about it", Visibility.PRIVATE, null));
    }

    @Test
    void missingOrBadFieldsAre400s() {
        assertThatThrownBy(() -> VideoDetails.of(null, null, null, null)).isInstanceOf(ApiException.class)
                .hasMessage("title is required");
        assertThatThrownBy(() -> VideoDetails.of("t", null, "friends", null)).hasMessageContaining("visibility");
        assertThatThrownBy(() -> VideoDetails.of("x".repeat(201), null, null, null)).hasMessageContaining("title is longer");
        assertThatThrownBy(() -> VideoDetails.of("t", "d".repeat(5001), null, null)).hasMessageContaining("description");
    }

    @Test
    void videoIdsAreUrlSafeAndLongEnough() {
        VideoIds ids = new VideoIds();
        String id = ids.next();
        assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]+");
        assertThat(ids.next()).isNotEqualTo(id);
        assertThat(VideoIds.isWellFormed("../../etc")).isFalse();
        assertThat(VideoIds.isWellFormed("short")).isFalse();
    }
}
