package dev.reel.edge.replica;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.serde.VideoRecordDeserializer;
import dev.reel.events.topics.Topics;
import dev.reel.service.kafka.TopicFollower;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This edge's own copy of {@code reel.catalog}: every partition read from the beginning and then followed by a
 * {@link TopicFollower} (no group: every edge needs every video). Ready once it has read up to the end offsets seen at
 * start, so an edge never answers 404 for a video that exists but it has not read yet.
 *
 * <p>Serving never waits on Kafka: lookups read a concurrent map. A tombstone removes the video, tells the deletion
 * listener (the cache drops the video's objects) and, for a video that was not private, remembers the deletion in a
 * set bounded to {@code deletedIdsKept} ids, so the edge can answer 410 for it. A private video's deletion is not
 * remembered, since its id must say nothing, nor is a lone tombstone whose record was compacted away: those, and ids
 * that fell out of the set, answer as unknown (404).
 */
public final class CatalogReplica implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatalogReplica.class);

    private final Map<String, VideoRecord> videos = new ConcurrentHashMap<>();
    private final Cache<String, Boolean> deleted;
    private final VideoRecordDeserializer deserializer = new VideoRecordDeserializer();
    private final Consumer<String> onDeleted;
    private final Consumer<String> onRead;
    private final TopicFollower follower;
    private volatile long skippedRecords;

    /**
     * @param consumerConfig a consumer configuration; its group is not used
     * @param deletedIdsKept how many deleted ids are remembered for 410 answers
     * @param onDeleted      called with the id of each video deleted while following (on the follower's thread)
     * @param onRead         called with the id of each video whose record (or tombstone) was read, once lookups see
     *                       it (on the follower's thread)
     */
    public CatalogReplica(Map<String, Object> consumerConfig, long deletedIdsKept, Consumer<String> onDeleted,
            Consumer<String> onRead) {
        this.deleted = Caffeine.newBuilder().maximumSize(deletedIdsKept).executor(Runnable::run).build();
        this.onDeleted = onDeleted;
        this.onRead = onRead;
        this.follower = new TopicFollower(Topics.CATALOG, consumerConfig, this::apply);
    }

    public CatalogReplica start() {
        follower.start();
        return this;
    }

    /** Whether the replica has read everything that was in the topic when it started. */
    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    public Optional<VideoRecord> video(String videoId) {
        return Optional.ofNullable(videos.get(videoId));
    }

    /** Whether a tombstone (or a DELETED record) of a video that was not private has been read, among the last kept. */
    public boolean isDeleted(String videoId) {
        if (deleted.getIfPresent(videoId) != null) {
            return true;
        }
        VideoRecord record = videos.get(videoId);
        return record != null && record.state() == VideoState.DELETED && record.visibility() != Visibility.PRIVATE;
    }

    /** Every video in a state, newest first. */
    public List<VideoRecord> videosIn(VideoState state) {
        return videos.values().stream().filter(v -> v.state() == state)
                .sorted((a, b) -> b.updatedAt().compareTo(a.updatedAt())).toList();
    }

    public int size() {
        return videos.size();
    }

    /** Deleted ids remembered now (at most the configured number). */
    public long deletedIdsKept() {
        return deleted.estimatedSize();
    }

    public long skippedRecords() {
        return skippedRecords;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String videoId = record.key();
        if (videoId == null) {
            skip(record, "no key");
            return;
        }
        if (record.value() == null) {
            VideoRecord gone = videos.remove(videoId);
            // Only a video seen here as not private: a lone tombstone (its record compacted away) may have been private.
            if (gone != null && gone.visibility() != Visibility.PRIVATE) {
                deleted.put(videoId, Boolean.TRUE);
            }
            onDeleted.accept(videoId);
            onRead.accept(videoId);
            return;
        }
        try {
            VideoRecord video = deserializer.deserialize(record.topic(), record.value());
            // One key lives on one partition, in order: the record read last is the current one.
            videos.put(videoId, video);
            deleted.invalidate(videoId);
            onRead.accept(videoId);
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
        follower.close();
    }
}
