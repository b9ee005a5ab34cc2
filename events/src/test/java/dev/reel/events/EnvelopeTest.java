package dev.reel.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private final VideoDeleted data = new VideoDeleted(Samples.VIDEO_ID, "user-42");

    @Test
    void ofFillsEveryAttribute() {
        Instant before = Instant.now();
        Envelope<VideoDeleted> envelope = Envelope.of("ingest/host-1", data);

        assertThat(UUID.fromString(envelope.id()).toString()).isEqualTo(envelope.id());
        assertThat(envelope.type()).isEqualTo("reel.video.deleted");
        assertThat(envelope.source()).isEqualTo("ingest/host-1");
        assertThat(envelope.time()).isBetween(before, Instant.now());
        assertThat(envelope.subject()).isEqualTo(Samples.VIDEO_ID);
        assertThat(envelope.specversion()).isEqualTo("1.0");
        assertThat(envelope.datacontenttype()).isEqualTo("application/json");
        assertThat(envelope.data()).isSameAs(data);
    }

    @Test
    void everyEventGetsItsOwnId() {
        assertThat(Envelope.of("ingest/host-1", data).id()).isNotEqualTo(Envelope.of("ingest/host-1", data).id());
    }

    @Test
    void subjectMustBeTheVideoId() {
        assertThatThrownBy(() -> envelope("3b241101-e2bb-4255-8caf-4136c566a962", "reel.video.deleted", "other-video"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subject 'other-video' must equal data.videoId");
    }

    @Test
    void typeMustMatchTheData() {
        assertThatThrownBy(() -> envelope("3b241101-e2bb-4255-8caf-4136c566a962", "reel.video.uploaded", Samples.VIDEO_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match data of type 'reel.video.deleted'");
    }

    @Test
    void idMustBeACanonicalUuid() {
        assertThatThrownBy(() -> envelope("not-a-uuid", "reel.video.deleted", Samples.VIDEO_ID))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id must be a lower-case UUID");
        assertThatThrownBy(() -> envelope("3B241101-E2BB-4255-8CAF-4136C566A962", "reel.video.deleted", Samples.VIDEO_ID))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id must be a lower-case UUID");
    }

    @Test
    void requiresTheFixedCloudEventsAttributes() {
        Instant time = Instant.parse("2026-11-24T10:00:00Z");
        String id = "3b241101-e2bb-4255-8caf-4136c566a962";
        assertThatThrownBy(
                () -> new Envelope<>(id, "reel.video.deleted", "x", time, Samples.VIDEO_ID, "0.3", "application/json", data))
                .hasMessageContaining("specversion must be '1.0'");
        assertThatThrownBy(() -> new Envelope<>(id, "reel.video.deleted", "x", time, Samples.VIDEO_ID, "1.0", "text/plain", data))
                .hasMessageContaining("datacontenttype must be 'application/json'");
        assertThatThrownBy(
                () -> new Envelope<>(id, "reel.video.deleted", " ", time, Samples.VIDEO_ID, "1.0", "application/json", data))
                .hasMessageContaining("source must not be blank");
        assertThatThrownBy(
                () -> new Envelope<>(id, "reel.video.deleted", "x", null, Samples.VIDEO_ID, "1.0", "application/json", data))
                .hasMessageContaining("time must not be null");
        assertThatThrownBy(() -> Envelope.of("x", null)).hasMessageContaining("data must not be null");
    }

    @Test
    void timeIsKeptAsGiven() {
        Instant time = Instant.now().minus(Duration.ofDays(1));
        assertThat(new Envelope<>("3b241101-e2bb-4255-8caf-4136c566a962", "reel.video.deleted", "x", time,
                Samples.VIDEO_ID, "1.0", "application/json", data).time()).isEqualTo(time);
    }

    private Envelope<VideoDeleted> envelope(String id, String type, String subject) {
        return new Envelope<>(id, type, "ingest/host-1", Instant.now(), subject, "1.0", "application/json", data);
    }
}
