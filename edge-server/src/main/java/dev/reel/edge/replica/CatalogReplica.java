package dev.reel.edge.replica;

import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.serde.VideoRecordDeserializer;
import dev.reel.events.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This edge's own copy of {@code reel.catalog}: every partition read from the beginning by a plain consumer
 * (no group: every edge needs every video), then followed. Ready once it has read up to the end offsets seen
 * at start, so an edge never answers 404 for a video that exists but it has not read yet.
 *
 * <p>Serving never waits on Kafka: lookups read a concurrent map. A tombstone removes the video and remembers
 * that it was deleted (so the edge can answer 410); that set grows with deletions, which is fine for a
 * catalog of this size and would become a bounded or compacted set in production.
 */
public final class CatalogReplica implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatalogReplica.class);

    private final Map<String, VideoRecord> videos = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final KafkaConsumer<String, byte[]> consumer;
    private final VideoRecordDeserializer deserializer = new VideoRecordDeserializer();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread follower;
    private volatile boolean caughtUp;
    private volatile long skippedRecords;

    public CatalogReplica(Map<String, Object> consumerConfig) {
        Map<String, Object> config = new java.util.HashMap<>(consumerConfig);
        // Assigned, never subscribed: no group, no commits, every edge reads everything.
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        follower = new Thread(this::follow, "catalog-replica");
        follower.setDaemon(true);
    }

    public CatalogReplica start() {
        follower.start();
        return this;
    }

    /** Whether the replica has read everything that was in the topic when it started. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    public Optional<VideoRecord> video(String videoId) {
        return Optional.ofNullable(videos.get(videoId));
    }

    /** Whether a tombstone (or a DELETED record) for this video has been read. */
    public boolean isDeleted(String videoId) {
        if (deleted.contains(videoId)) {
            return true;
        }
        VideoRecord record = videos.get(videoId);
        return record != null && record.state() == VideoState.DELETED;
    }

    /** Every video in a state, newest first. */
    public List<VideoRecord> videosIn(VideoState state) {
        return videos.values().stream().filter(v -> v.state() == state)
                .sorted((a, b) -> b.updatedAt().compareTo(a.updatedAt())).toList();
    }

    public int size() {
        return videos.size();
    }

    public long skippedRecords() {
        return skippedRecords;
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions, Duration.ofMinutes(5));
            log.info("catalog replica reading {} partitions of {} up to {}", partitions.size(), Topics.CATALOG,
                    endAtStart.values().stream().mapToLong(Long::longValue).sum());
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                if (!caughtUp && endAtStart.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    log.info("catalog replica caught up: {} videos", videos.size());
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("catalog replica woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("catalog replica stopped: {}", e.toString(), e);
            caughtUp = false;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /**
     * The topic's partitions, waiting for the topic to exist: with none, the replica would count as caught up
     * on nothing and the edge would answer 404 for every video.
     */
    private List<TopicPartition> awaitPartitions() {
        while (running.get()) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.CATALOG, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (!partitions.isEmpty()) {
                    return partitions;
                }
                log.warn("catalog replica waiting for topic {} to exist", Topics.CATALOG);
            } catch (TimeoutException e) {
                log.warn("catalog replica waiting for Kafka: {}", e.getMessage());
            }
            try {
                Thread.sleep(1_000); // back off before asking the cluster again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new WakeupException();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String videoId = record.key();
        if (videoId == null) {
            skip(record, "no key");
            return;
        }
        if (record.value() == null) {
            videos.remove(videoId);
            deleted.add(videoId);
            return;
        }
        try {
            VideoRecord video = deserializer.deserialize(record.topic(), record.value());
            // One key lives on one partition, in order: the record read last is the current one.
            videos.put(videoId, video);
            deleted.remove(videoId);
        } catch (MalformedEventException e) {
            skip(record, e.getMessage());
        }
    }

    private void skip(ConsumerRecord<String, byte[]> record, String why) {
        skippedRecords++;
        log.warn("catalog replica skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), why);
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            follower.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
