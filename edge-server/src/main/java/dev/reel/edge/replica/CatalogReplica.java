package dev.reel.edge.replica;

import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.serde.VideoRecordDeserializer;
import dev.reel.events.topics.Topics;
import dev.reel.service.kafka.TopicFollower;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
    private final VideoRecordDeserializer deserializer = new VideoRecordDeserializer();
    private final TopicFollower follower;
    private volatile long skippedRecords;

    public CatalogReplica(Map<String, Object> consumerConfig) {
        follower = new TopicFollower(Topics.CATALOG, consumerConfig, this::apply);
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
        follower.close();
    }
}
