package dev.reel.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VideoRecordTest {

    @Test
    void sourceFactsAreTheUploadsFileFacts() {
        VideoUploaded uploaded = (VideoUploaded) Samples.of(VideoUploaded.class);
        SourceFacts facts = SourceFacts.from(uploaded);

        assertThat(facts).isEqualTo(new SourceFacts(uploaded.sizeBytes(), uploaded.sha256(), uploaded.durationSeconds(),
                uploaded.width(), uploaded.height(), uploaded.videoCodec(), uploaded.audioCodec(), uploaded.objectKey(),
                uploaded.filename()));
    }

    @Test
    void transitionsAreACopyInLifeCycleOrder() {
        Map<VideoState, Instant> transitions = new HashMap<>();
        transitions.put(VideoState.READY, Instant.parse("2026-11-24T10:01:00Z"));
        transitions.put(VideoState.UPLOADED, Instant.parse("2026-11-24T10:00:00Z"));
        VideoRecord record = withTransitions(transitions);
        transitions.put(VideoState.DELETED, Instant.now());

        assertThat(record.transitions().keySet()).containsExactly(VideoState.UPLOADED, VideoState.READY);
        assertThatThrownBy(() -> record.transitions().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(withTransitions(Map.of()).transitions()).isEmpty();
    }

    @Test
    void rejectsInvalidValues() {
        VideoRecord valid = Samples.videoRecord();
        assertThatThrownBy(() -> new VideoRecord(valid.videoId(), valid.title(), null, valid.visibility(), valid.owner(),
                valid.source(), valid.state(), 101, null, List.of(), null, Map.of(), valid.updatedAt(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("progressPercent must be between 0 and 100");
        assertThatThrownBy(() -> new VideoRecord(valid.videoId(), valid.title(), null, valid.visibility(), valid.owner(),
                valid.source(), null, 0, null, List.of(), null, Map.of(), valid.updatedAt(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state must not be null");
        assertThatThrownBy(() -> new VideoRecord(valid.videoId(), valid.title(), null, valid.visibility(), valid.owner(),
                valid.source(), valid.state(), 0, null, List.of(), null, Map.of(), valid.updatedAt(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version must be positive");
    }

    private static VideoRecord withTransitions(Map<VideoState, Instant> transitions) {
        VideoRecord valid = Samples.videoRecord();
        return new VideoRecord(valid.videoId(), valid.title(), valid.description(), valid.visibility(), valid.owner(),
                valid.source(), valid.state(), valid.progressPercent(), valid.failureReason(), valid.renditions(),
                valid.posterKey(), transitions, valid.updatedAt(), valid.version());
    }
}
