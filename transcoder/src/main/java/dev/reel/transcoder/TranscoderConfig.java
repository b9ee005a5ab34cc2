package dev.reel.transcoder;

import dev.reel.service.config.Env;
import dev.reel.service.kafka.KafkaSettings;
import dev.reel.service.storage.S3Settings;
import dev.reel.transcoder.ffmpeg.EncoderSettings;
import dev.reel.transcoder.plan.Passthrough;
import dev.reel.transcoder.plan.VideoPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Everything a worker is configured with, read from environment variables (see the module README for the table).
 *
 * @param instanceId     {@code REEL_INSTANCE_ID}: names the worker in events, client ids and metrics
 * @param bindHost       {@code REEL_BIND_HOST}: where the ops endpoints listen
 * @param port           {@code REEL_TRANSCODER_PORT}: the ops endpoints' port (0 picks a free one)
 * @param groupId        {@code REEL_TRANSCODER_GROUP}: the share group all workers join
 * @param concurrency    {@code REEL_TRANSCODER_CONCURRENCY}: chunk tasks one worker encodes at once
 * @param intakeConcurrency {@code REEL_TRANSCODER_INTAKE_CONCURRENCY}: uploads one worker plans and copies at once
 * @param maxAttempts    {@code REEL_TRANSCODER_MAX_ATTEMPTS}: deliveries of one upload before it is given up
 * @param jobTimeout     {@code REEL_TRANSCODER_JOB_TIMEOUT}: an attempt running longer is killed and counts as failed
 * @param lockDuration   {@code REEL_TRANSCODER_LOCK_DURATION}: the share group's acquisition lock
 * @param shutdownGrace  {@code REEL_TRANSCODER_SHUTDOWN_GRACE}: how long SIGTERM lets running jobs finish
 * @param scratchDir     {@code REEL_TRANSCODER_SCRATCH_DIR}: where ffmpeg writes before upload
 * @param leadSegments   {@code REEL_TRANSCODER_PLAYABLE_LEAD_SEGMENTS}: the lead (in segments) a rendition needs in
 *                       storage, beyond what keeps playback ahead of the encode, before it is announced while still
 *                       growing; 0 announces renditions only when complete
 * @param encoder        ffmpeg settings
 * @param kafka          Kafka bootstrap servers
 * @param s3             object storage
 * @param storageRetry   {@code REEL_TRANSCODER_STORAGE_RETRY}: how long one storage call rides out an outage (retrying
 *                       with backoff) before the attempt fails
 * @param planning       how videos are planned: segment and chunk lengths ({@code REEL_TRANSCODER_CHUNK_SECONDS},
 *                       {@code REEL_TRANSCODER_SPLIT_MIN_SECONDS}), how much of the lowest rung is encoded ahead
 *                       ({@code REEL_TRANSCODER_LOWEST_FIRST_SECONDS}), the preset, and what an original must meet to be
 *                       passed through ({@code REEL_TRANSCODER_PASSTHROUGH}, {@code REEL_TRANSCODER_PASSTHROUGH_MAX_SEGMENT})
 * @param assemblerSession {@code REEL_TRANSCODER_ASSEMBLER_SESSION_TIMEOUT}: how soon a dead worker's share of the
 *                       assembler moves to another
 * @param replicationFactor {@code REEL_TRANSCODER_REPLICATION_FACTOR}: of the assembler's changelog, -1 = broker default
 */
public record TranscoderConfig(
        String instanceId,
        String bindHost,
        int port,
        String groupId,
        int concurrency,
        int intakeConcurrency,
        int maxAttempts,
        Duration jobTimeout,
        Duration lockDuration,
        Duration shutdownGrace,
        Path scratchDir,
        int leadSegments,
        EncoderSettings encoder,
        KafkaSettings kafka,
        S3Settings s3,
        Duration storageRetry,
        VideoPlan.Settings planning,
        Duration assemblerSession,
        int replicationFactor) {

    public static final String SERVICE = "transcoder";
    /** How far a passthrough's peak bit rate may exceed the cap of the ladder rung of its size. */
    static final double PASSTHROUGH_MAX_PEAK_FACTOR = 2.0;
    /** The target chunk length: see the module README ("Chunks") for the measurement behind it. */
    static final double DEFAULT_CHUNK_SECONDS = 8;
    /** Videos shorter than this stay one chunk: see the module README ("Chunks"). */
    static final double DEFAULT_SPLIT_MIN_SECONDS = 16;
    /**
     * The lowest rung of the first two minutes is encoded ahead in tasks of its own: see the module README
     * ("Chunks"): a 60 s original no browser plays becomes playable in seconds, a long one pays the extra decode
     * for its first two minutes only.
     */
    static final double DEFAULT_LOWEST_FIRST_SECONDS = 120;

    // x264's presets, fastest first.
    private static final Set<String> PRESETS = Set.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium",
            "slow", "slower", "veryslow");

    /** Reads and validates every setting; throws listing every problem at once. */
    public static TranscoderConfig from(Env env) {
        String instanceId = env.instanceId(SERVICE);
        String bindHost = env.string("REEL_BIND_HOST", "127.0.0.1");
        int port = env.integer("REEL_TRANSCODER_PORT", 8070, 0, 65535);
        String groupId = env.string("REEL_TRANSCODER_GROUP", "reel-transcoder");
        int concurrency = env.integer("REEL_TRANSCODER_CONCURRENCY", 1, 1, 16);
        int intakeConcurrency = env.integer("REEL_TRANSCODER_INTAKE_CONCURRENCY", 1, 1, 8);
        // The broker drops a record after group.share.delivery.count.limit (default 5) deliveries without telling
        // anyone: give up ourselves before that, so a failure always ends as transcode.failed plus a dead letter.
        int maxAttempts = env.integer("REEL_TRANSCODER_MAX_ATTEMPTS", 3, 1, 4);
        Duration jobTimeout = env.duration("REEL_TRANSCODER_JOB_TIMEOUT", Duration.ofHours(1));
        Duration lockDuration = env.duration("REEL_TRANSCODER_LOCK_DURATION", Duration.ofSeconds(30));
        if (lockDuration.compareTo(Duration.ofSeconds(15)) < 0 || lockDuration.compareTo(Duration.ofSeconds(60)) > 0) {
            // group.share.min/max.record.lock.duration.ms: the broker refuses a group value outside them
            env.problem("REEL_TRANSCODER_LOCK_DURATION must be between 15s and 60s (the broker's defaults for a group), was "
                    + lockDuration);
        }
        Duration shutdownGrace = env.duration("REEL_TRANSCODER_SHUTDOWN_GRACE", Duration.ofSeconds(30));
        Path scratchDir = Path.of(env.string("REEL_TRANSCODER_SCRATCH_DIR",
                Path.of(System.getProperty("java.io.tmpdir"), "reel-transcoder").toString()));
        String preset = env.oneOf("REEL_TRANSCODER_PRESET", "veryfast", PRESETS);
        int ffmpegThreads = env.integer("REEL_TRANSCODER_FFMPEG_THREADS", 0, 0, 64);
        int segmentSeconds = env.integer("REEL_TRANSCODER_SEGMENT_SECONDS", 4, 1, 10);
        int leadSegments = env.integer("REEL_TRANSCODER_PLAYABLE_LEAD_SEGMENTS", 2, 0, 100);
        double readRate = env.decimal("REEL_TRANSCODER_READ_RATE", 0, 0, 100);
        String ffmpeg = env.string("REEL_FFMPEG", "ffmpeg");
        String ffprobe = env.string("REEL_FFPROBE", "ffprobe");
        KafkaSettings kafka = KafkaSettings.from(env, instanceId);
        S3Settings s3 = S3Settings.from(env);
        Duration storageRetry = env.duration("REEL_TRANSCODER_STORAGE_RETRY", Duration.ofMinutes(2));
        boolean passthrough = env.bool("REEL_TRANSCODER_PASSTHROUGH", true);
        int maxSegment = env.integer("REEL_TRANSCODER_PASSTHROUGH_MAX_SEGMENT", 10, 1, 30);
        double chunkSeconds = env.decimal("REEL_TRANSCODER_CHUNK_SECONDS", DEFAULT_CHUNK_SECONDS, 1, 3600);
        double splitMinSeconds = env.decimal("REEL_TRANSCODER_SPLIT_MIN_SECONDS", DEFAULT_SPLIT_MIN_SECONDS, 0, 36_000);
        double lowestFirstSeconds = env.decimal("REEL_TRANSCODER_LOWEST_FIRST_SECONDS", DEFAULT_LOWEST_FIRST_SECONDS, 0,
                36_000);
        int nice = env.integer("REEL_TRANSCODER_NICE", 10, 0, 19);
        Duration assemblerSession = env.duration("REEL_TRANSCODER_ASSEMBLER_SESSION_TIMEOUT", Duration.ofSeconds(10));
        if (assemblerSession.compareTo(Duration.ofSeconds(6)) < 0) {
            // group.min.session.timeout.ms: the broker refuses a shorter one
            env.problem("REEL_TRANSCODER_ASSEMBLER_SESSION_TIMEOUT must be at least 6s, was " + assemblerSession);
        }
        int replication = env.integer("REEL_TRANSCODER_REPLICATION_FACTOR", -1, -1, 7);
        if (replication == 0) {
            env.problem("REEL_TRANSCODER_REPLICATION_FACTOR must be -1 (the broker's default) or 1 to 7");
        }
        env.validate();
        return new TranscoderConfig(instanceId, bindHost, port, groupId, concurrency, intakeConcurrency, maxAttempts, jobTimeout,
                lockDuration, shutdownGrace, scratchDir, leadSegments,
                new EncoderSettings(ffmpeg, ffprobe, preset, ffmpegThreads, segmentSeconds, readRate, nice), kafka, s3,
                storageRetry, new VideoPlan.Settings(segmentSeconds, chunkSeconds, splitMinSeconds, lowestFirstSeconds, preset,
                        passthrough ? new Passthrough.Limits(maxSegment, PASSTHROUGH_MAX_PEAK_FACTOR) : null),
                assemblerSession, replication);
    }

    /** The assembler's Kafka Streams application id: the share group's, so one fleet shares one assembler. */
    public String assemblerId() {
        return groupId + "-assembler";
    }

    /** The {@code source} of every event this worker writes. */
    public String eventSource() {
        return SERVICE + "/" + instanceId;
    }

}
