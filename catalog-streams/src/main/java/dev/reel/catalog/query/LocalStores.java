package dev.reel.catalog.query;

import dev.reel.catalog.query.Json.VideoViews;
import dev.reel.catalog.topology.CatalogEntry;
import dev.reel.catalog.topology.CatalogTopology;
import dev.reel.catalog.topology.TrendingWindow;
import dev.reel.events.VideoRecord;
import dev.reel.events.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Reads of this instance's own stores. Every method may throw
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while a store is restoring or migrating.
 */
public final class LocalStores {

    /** Most views first, then by video id so equal counts come out in a stable order. */
    public static final Comparator<VideoViews> MOST_VIEWED = Comparator.comparingLong(VideoViews::views).reversed()
            .thenComparing(VideoViews::videoId);

    private final KafkaStreams streams;

    public LocalStores(KafkaStreams streams) {
        this.streams = streams;
    }

    public Optional<CatalogEntry> video(String videoId, int partition, boolean stale) {
        return Optional
                .ofNullable(keyValue(CatalogTopology.VIDEOS_STORE, QueryableStoreTypes.<String, CatalogEntry>keyValueStore(),
                        partition, stale).get(videoId));
    }

    public Optional<Long> views(String videoId, int partition, boolean stale) {
        return Optional.ofNullable(keyValue(CatalogTopology.VIEWS_STORE, QueryableStoreTypes.<String, Long>keyValueStore(),
                partition, stale).get(videoId));
    }

    /**
     * Up to {@code limit} records of the active partitions here, by video id, after {@code afterVideoId}.
     *
     * @param filter       which videos
     * @param afterVideoId exclusive lower bound, or {@code null} from the start
     */
    public List<VideoRecord> page(VideoFilter filter, String afterVideoId, int limit) {
        List<VideoRecord> page = new ArrayList<>();
        // Each partition's store is sorted by key, so each is read only up to its first `limit` matches.
        for (int partition : activeCatalogPartitions()) {
            ReadOnlyKeyValueStore<String, CatalogEntry> store = keyValue(CatalogTopology.VIDEOS_STORE,
                    QueryableStoreTypes.<String, CatalogEntry>keyValueStore(), partition, false);
            int taken = 0;
            try (KeyValueIterator<String, CatalogEntry> entries = store.range(afterVideoId, null)) {
                while (taken < limit && entries.hasNext()) {
                    KeyValue<String, CatalogEntry> next = entries.next();
                    Optional<VideoRecord> record = next.value.record();
                    if (!next.key.equals(afterVideoId) && record.isPresent() && filter.matches(record.get())) {
                        page.add(record.get());
                        taken++;
                    }
                }
            }
        }
        return page.stream().sorted(Comparator.comparing(VideoRecord::videoId)).limit(limit).toList();
    }

    /** The partitions of the catalog store this instance runs as active tasks (the videos store's partitions are the uploads topic's). */
    private Set<Integer> activeCatalogPartitions() {
        Set<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Topics.UPLOADS))
                        .forEach(tp -> partitions.add(tp.partition()));
            }
        }
        return partitions;
    }

    /** The most viewed videos of the active partitions here in {@code window}'s current window at {@code now}. */
    public List<VideoViews> trending(TrendingWindow window, Instant now, int limit) {
        ReadOnlyWindowStore<String, Long> store = streams.store(StoreQueryParameters.fromNameAndType(
                window.storeName(), QueryableStoreTypes.<String, Long>windowStore()));
        Instant start = window.currentWindowStart(now);
        Map<String, Long> counts = new HashMap<>();
        try (KeyValueIterator<Windowed<String>, Long> windows = store.fetchAll(start, start)) {
            windows.forEachRemaining(kv -> counts.merge(kv.key.key(), kv.value, Long::sum));
        }
        return counts.entrySet().stream()
                .map(e -> new VideoViews(e.getKey(), e.getValue()))
                .sorted(MOST_VIEWED)
                .limit(limit)
                .toList();
    }

    private <V> ReadOnlyKeyValueStore<String, V> keyValue(String name,
            QueryableStoreType<ReadOnlyKeyValueStore<String, V>> type,
            int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> query = StoreQueryParameters.fromNameAndType(name, type)
                .withPartition(partition);
        return streams.store(stale ? query.enableStaleStores() : query);
    }
}
