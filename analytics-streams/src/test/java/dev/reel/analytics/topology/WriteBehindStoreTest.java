package dev.reel.analytics.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.analytics.metrics.Delta;
import dev.reel.analytics.metrics.Metrics;
import dev.reel.analytics.metrics.MetricsSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteBehindStoreTest {

    private static final long MINUTE = 60_000;

    private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    private WriteBehindWindowStore store;

    @BeforeEach
    void open() {
        store = WriteBehindWindowStore.builder(Stores.windowStoreBuilder(Stores.inMemoryWindowStore("metrics-minute",
                Duration.ofHours(1), Duration.ofMinutes(1), false), Serdes.String(), new MetricsSerde())
                .withCachingDisabled().withLoggingDisabled()).build();
        store.init(context.getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theProcessorSeesABucketAtOnceAndQueriesOnceTheTaskCommits() {
        Metrics figures = Delta.play().applyTo(Metrics.empty());
        store.put("video/a", MINUTE, figures);

        assertThat(store.current("video/a", MINUTE)).isSameAs(figures);
        assertThat(store.fetch("video/a", MINUTE)).as("a query before the commit").isNull();

        Delta.play().applyTo(figures); // a later event changes the object kept
        store.flushCache(); // what Kafka Streams calls before it commits the task's offsets
        assertThat(store.fetch("video/a", MINUTE).view().plays()).isEqualTo(2);
        assertThat(store.current("video/a", MINUTE).view().plays()).isEqualTo(2);

        Delta.play().applyTo(figures); // changed again, not put again: the store keeps what was committed
        assertThat(store.fetch("video/a", MINUTE).view().plays()).isEqualTo(2);
    }

    @Test
    void aScanOfTheProcessorSeesThePendingBuckets() {
        store.put("video/a", MINUTE, Delta.play().applyTo(Metrics.empty()));
        store.put("video/b", 2 * MINUTE, Delta.play().applyTo(Metrics.empty()));

        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, Metrics> all = store.fetchAllCurrent(0, 3 * MINUTE)) {
            all.forEachRemaining(entry -> seen.add(entry.key.key() + "@" + entry.key.window().start()));
        }
        assertThat(seen).containsExactly("video/a@60000", "video/b@120000");
    }

    @Test
    void pendingBucketsGoWithADirtyClose() {
        store.put("video/a", MINUTE, Delta.play().applyTo(Metrics.empty()));
        store.clearCache(); // Kafka Streams throws the task's state away
        store.flushCache();
        assertThat(store.fetch("video/a", MINUTE)).isNull();
        assertThat(store.current("video/a", MINUTE)).isNull();
    }

    @Test
    void aDeleteIsWrittenAtTheCommitToo() {
        WriteBehindKeyValueStore<Long> sessions = WriteBehindKeyValueStore.builder(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("sessions"), Serdes.String(), Serdes.Long()).withCachingDisabled()
                .withLoggingDisabled()).build();
        sessions.init(context.getStateStoreContext(), sessions);
        try {
            sessions.put("v/s1", 1L);
            sessions.flushCache();
            sessions.delete("v/s1");
            assertThat(sessions.current("v/s1")).isNull();
            assertThat(sessions.get("v/s1")).as("as of the last commit").isEqualTo(1L);

            sessions.flushCache();
            assertThat(sessions.get("v/s1")).isNull();
            sessions.put("v/s2", 2L);
            List<String> all = new ArrayList<>();
            try (KeyValueIterator<String, Long> scan = sessions.allCurrent()) {
                scan.forEachRemaining(entry -> all.add(entry.key));
            }
            assertThat(all).containsExactly("v/s2");
        } finally {
            sessions.close();
        }
    }
}
