package dev.reel.analytics.query;

import dev.reel.analytics.metrics.Granularity;
import dev.reel.analytics.metrics.HourRollup;
import dev.reel.analytics.metrics.Metrics;
import dev.reel.events.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    private static final Comparator<Map.Entry<Long, String>> BUCKET_ORDER = Map.Entry.<Long, String>comparingByKey()
            .thenComparing(Map.Entry.comparingByValue());

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
            if (granularity == Granularity.HOUR) {
                buckets.addAll(hours(partition, keyOrPrefix, exact, from, to));
            } else {
                buckets.addAll(stored(Granularity.MINUTE, partition, keyOrPrefix, exact, from, to));
            }
        }
        return new Partials(partitions, buckets);
    }

    /**
     * A partition's hour buckets: rolled-up ones as stored, the others (hours not closed yet, by the partition's stream
     * time) as the hour bucket plus the hour's minutes ({@link HourRollup}). The hour buckets are read before the
     * minutes: an hour rolled up in between is then added up from its minutes, which stay kept for hours, the same
     * figures.
     */
    private List<Bucket> hours(int partition, String keyOrPrefix, boolean exact, long from, long to) {
        long hour = Granularity.HOUR.bucket().toMillis();
        Map<Map.Entry<Long, String>, Metrics> stored = new TreeMap<>(BUCKET_ORDER);
        stored(Granularity.HOUR, partition, keyOrPrefix, exact, from, to)
                .forEach(b -> stored.put(Map.entry(b.start(), b.key()), b.metrics()));
        Map<Map.Entry<Long, String>, List<Bucket>> minutes = new TreeMap<>(BUCKET_ORDER);
        stored(Granularity.MINUTE, partition, keyOrPrefix, exact, from, to + hour - 1).forEach(b -> minutes
                .computeIfAbsent(Map.entry(Granularity.HOUR.bucketStart(b.start()), b.key()), k -> new ArrayList<>())
                .add(b));
        Set<Map.Entry<Long, String>> all = new TreeSet<>(BUCKET_ORDER);
        all.addAll(stored.keySet());
        all.addAll(minutes.keySet());
        List<Bucket> buckets = new ArrayList<>();
        for (Map.Entry<Long, String> bucket : all) {
            List<Metrics> ofMinutes = minutes.getOrDefault(bucket, List.of()).stream()
                    .sorted(Comparator.comparingLong(Bucket::start)).map(Bucket::metrics).toList();
            buckets.add(new Bucket(partition, bucket.getKey(), bucket.getValue(),
                    HourRollup.of(stored.get(bucket), ofMinutes)));
        }
        return buckets;
    }

    private List<Bucket> stored(Granularity granularity, int partition, String keyOrPrefix, boolean exact, long from,
            long to) {
        List<Bucket> buckets = new ArrayList<>();
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
        return buckets;
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
