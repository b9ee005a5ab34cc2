package dev.reel.analytics.query;

import dev.reel.analytics.metrics.Granularity;
import dev.reel.analytics.metrics.Metrics;
import dev.reel.events.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** This instance's figures: the buckets of its active {@code reel.playback} partitions, read partition by partition. */
public final class LocalFigures {

    private final KafkaStreams streams;

    public LocalFigures(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * @param keyOrPrefix a dimension key ({@code exact}) or the prefix of the keys wanted ({@code ""} for every key)
     * @param from        first bucket start, epoch millis
     * @param to          last bucket start, epoch millis
     */
    public Partials read(Granularity granularity, String keyOrPrefix, boolean exact, long from, long to) {
        Set<Integer> partitions = activePartitions();
        List<Bucket> buckets = new ArrayList<>();
        for (int partition : partitions) {
            ReadOnlyWindowStore<String, Metrics> store = streams.store(StoreQueryParameters
                    .fromNameAndType(granularity.storeName(), QueryableStoreTypes.<String, Metrics>windowStore())
                    .withPartition(partition));
            if (exact) {
                try (WindowStoreIterator<Metrics> found = store.fetch(keyOrPrefix, Instant.ofEpochMilli(from),
                        Instant.ofEpochMilli(to))) {
                    found.forEachRemaining(
                            (KeyValue<Long, Metrics> entry) -> buckets.add(new Bucket(partition, entry.key, keyOrPrefix,
                                    entry.value)));
                }
            } else {
                try (KeyValueIterator<Windowed<String>, Metrics> all = store.fetchAll(Instant.ofEpochMilli(from),
                        Instant.ofEpochMilli(to))) {
                    all.forEachRemaining(entry -> {
                        if (entry.key.key().startsWith(keyOrPrefix)) {
                            buckets.add(new Bucket(partition, entry.key.window().start(), entry.key.key(), entry.value));
                        }
                    });
                }
            }
        }
        return new Partials(partitions, buckets);
    }

    /** The {@code reel.playback} partitions whose tasks run here as active tasks. */
    Set<Integer> activePartitions() {
        Set<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            thread.activeTasks().forEach(task -> task.topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(Topics.PLAYBACK))
                    .forEach(tp -> partitions.add(tp.partition())));
        }
        return partitions;
    }
}
