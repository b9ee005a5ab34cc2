package dev.reel.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EventTypeTest {

    @Test
    void everyEventDataRecordHasExactlyOneType() {
        assertThat(Arrays.stream(EventType.values()).<Class<?>>map(EventType::dataClass))
                .containsExactlyInAnyOrderElementsOf(Samples.eventTypes());
        for (Class<?> type : Samples.eventTypes()) {
            assertThat(EventType.of(Samples.of(type)).dataClass()).isEqualTo(type);
        }
    }

    @Test
    void typeStringsAreUniqueAndRoundTrip() {
        for (EventType type : EventType.values()) {
            assertThat(type.type()).startsWith("reel.");
            assertThat(EventType.fromType(type.type())).contains(type);
        }
        assertThat(Arrays.stream(EventType.values()).map(EventType::type).distinct()).hasSize(EventType.values().length);
    }

    @Test
    void unknownTypeIsEmpty() {
        assertThat(EventType.fromType("reel.video.exploded")).isEmpty();
        assertThat(EventType.fromType(null)).isEmpty();
    }
}
