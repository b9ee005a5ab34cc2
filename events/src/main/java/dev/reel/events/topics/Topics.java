package dev.reel.events.topics;

import dev.reel.events.CaptionsRemoved;
import dev.reel.events.CaptionsSet;
import dev.reel.events.ChunkCompleted;
import dev.reel.events.ChunkRequested;
import dev.reel.events.EventData;
import dev.reel.events.PlaybackBeacon;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.RenditionReady;
import dev.reel.events.SegmentServed;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeFailed;
import dev.reel.events.TranscodePlanned;
import dev.reel.events.TranscodeProgress;
import dev.reel.events.TranscodeStarted;
import dev.reel.events.VideoDeleted;
import dev.reel.events.VideoMetadataUpdated;
import dev.reel.events.VideoUploaded;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Reel's topics and what goes on each. Every record key is the video id, so all events of a video are on one
 * partition, in order.
 *
 * <table>
 *   <caption>Topics</caption>
 *   <tr><th>topic</th><th>values</th></tr>
 *   <tr><td>{@value #UPLOADS}</td><td>{@link VideoUploaded}</td></tr>
 *   <tr><td>{@value #METADATA}</td><td>{@link VideoMetadataUpdated}, {@link VideoDeleted}, {@link CaptionsSet},
 *       {@link CaptionsRemoved}</td></tr>
 *   <tr><td>{@value #TRANSCODE}</td><td>{@link TranscodeStarted}, {@link TranscodePlanned}, {@link TranscodeProgress},
 *       {@link ChunkCompleted}, {@link RenditionReady}, {@link TranscodeCompleted}, {@link TranscodeFailed}</td></tr>
 *   <tr><td>{@value #CHUNKS}</td><td>{@link ChunkRequested}</td></tr>
 *   <tr><td>{@value #PLAYBACK}</td><td>{@link PlaybackStarted}, {@link SegmentServed}, {@link PlaybackBeacon}</td></tr>
 *   <tr><td>{@value #CATALOG}</td><td>{@link dev.reel.events.VideoRecord}, compacted; a tombstone for a
 *       deleted video</td></tr>
 *   <tr><td>{@value #WEBHOOKS}</td><td>{@link dev.reel.events.webhooks.EndpointEvent}</td></tr>
 *   <tr><td>{@value #WEBHOOK_DELIVERIES}</td><td>{@link dev.reel.events.webhooks.DeliveryEvent}</td></tr>
 *   <tr><td>{@value #DLQ}</td><td>records a consumer could not process, with
 *       {@link dev.reel.events.dlq.DeadLetterHeaders}</td></tr>
 *   <tr><td>{@value #KEYS}</td><td>API key records (owner and SHA-256 of the key, added or revoked), compacted</td></tr>
 * </table>
 *
 * <p>Events are envelopes ({@link dev.reel.events.Envelope}); see {@link #topicFor(EventData)}.
 */
public final class Topics {

    /** {@link VideoUploaded} events, written by ingest. */
    public static final String UPLOADS = "reel.uploads";
    /** Transcode and rendition events, written by transcoders. */
    public static final String TRANSCODE = "reel.transcode";
    /** Metadata edits, caption tracks and deletions, written by ingest. */
    public static final String METADATA = "reel.metadata";
    /** The current {@link dev.reel.events.VideoRecord} of each video, compacted, written by catalog-streams. */
    public static final String CATALOG = "reel.catalog";
    /** Playback events, written by edge servers. */
    public static final String PLAYBACK = "reel.playback";
    /** Records any consumer could not process. */
    public static final String DLQ = "reel.dlq";
    /**
     * Webhook endpoints: registrations, changes, secret rotations, disabling, deletion
     * ({@link dev.reel.events.webhooks.EndpointEvent}), keyed by endpoint id, kept forever: an endpoint is the fold of
     * its events.
     */
    public static final String WEBHOOKS = "reel.webhooks";
    /**
     * Webhook deliveries: scheduled, each attempt, abandoned ({@link dev.reel.events.webhooks.DeliveryEvent}), keyed by
     * endpoint id; seven days, far past the 24 h retry window.
     */
    public static final String WEBHOOK_DELIVERIES = "reel.webhook-deliveries";
    /**
     * API keys, compacted, keyed by the SHA-256 of the key: service-kit's {@code ApiKeyRecord} (owner, hash, revoked),
     * written by {@code reel keys}, read from the beginning by every service that authenticates.
     */
    public static final String KEYS = "reel.keys";
    /**
     * Chunk tasks ({@link ChunkRequested}), written by the transcoder worker that planned a video and taken by any
     * worker of the share group. One partition on purpose: a share group hands the records of one partition to all
     * its members one at a time, so every worker takes the next task whatever the number of workers; with several
     * partitions, while workers are fewer than partitions, each partition (and so every task of a video, keyed by
     * it) would belong to one worker. A task is a few hundred bytes, a video a few dozen of them: one partition
     * carries far more than a fleet of encoders can do.
     */
    public static final String CHUNKS = "reel.chunks";

    private static final Map<String, String> DELETE_AFTER_7_DAYS = deleteAfter(Duration.ofDays(7));

    private static final List<TopicSpec> ALL = List.of(
            new TopicSpec(UPLOADS, 6, DELETE_AFTER_7_DAYS),
            new TopicSpec(TRANSCODE, 6, DELETE_AFTER_7_DAYS),
            new TopicSpec(METADATA, 6, DELETE_AFTER_7_DAYS),
            // Compaction lag and segment size stay at the broker defaults: nothing in Reel needs them tuned yet.
            new TopicSpec(CATALOG, 6, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
            // More partitions: playback is by far the highest-volume stream.
            new TopicSpec(PLAYBACK, 12, DELETE_AFTER_7_DAYS),
            // Longer retention so operators have time to look at a failure before it is gone.
            new TopicSpec(DLQ, 3, deleteAfter(Duration.ofDays(14))),
            // Registrations must outlive any retention: no time limit (and no compaction: each record is an event).
            new TopicSpec(WEBHOOKS, 3, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, "-1")),
            new TopicSpec(WEBHOOK_DELIVERIES, 6, DELETE_AFTER_7_DAYS),
            // One partition: a handful of records that every reader reads whole; compacted, so the latest per key stays.
            new TopicSpec(KEYS, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
            new TopicSpec(CHUNKS, 1, DELETE_AFTER_7_DAYS));

    private Topics() {
    }

    /**
     * Every Reel topic. {@code min.insync.replicas} is not in these specs as it depends on the cluster's
     * replication factor; {@link TopicBootstrap} adds it.
     */
    public static List<TopicSpec> all() {
        return ALL;
    }

    /** The topic an event goes to. */
    public static String topicFor(EventData data) {
        return switch (data) {
            case VideoUploaded ignored -> UPLOADS;
            case VideoMetadataUpdated ignored -> METADATA;
            case VideoDeleted ignored -> METADATA;
            case CaptionsSet ignored -> METADATA;
            case CaptionsRemoved ignored -> METADATA;
            case TranscodeStarted ignored -> TRANSCODE;
            case TranscodeProgress ignored -> TRANSCODE;
            case RenditionReady ignored -> TRANSCODE;
            case TranscodeCompleted ignored -> TRANSCODE;
            case TranscodeFailed ignored -> TRANSCODE;
            case TranscodePlanned ignored -> TRANSCODE;
            case ChunkCompleted ignored -> TRANSCODE;
            case ChunkRequested ignored -> CHUNKS;
            case PlaybackStarted ignored -> PLAYBACK;
            case SegmentServed ignored -> PLAYBACK;
            case PlaybackBeacon ignored -> PLAYBACK;
        };
    }

    private static Map<String, String> deleteAfter(Duration retention) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }
}
