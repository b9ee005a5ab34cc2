package dev.reel.ingest;

import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.config.Env;
import dev.reel.service.kafka.KafkaSettings;
import dev.reel.service.storage.S3Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the ingest service, from environment variables (defaults in {@link #from}); see the module README.
 */
public record IngestConfig(
        String instanceId,
        String bindHost,
        int port,
        URI publicUrl,
        KafkaSettings kafka,
        S3Settings s3,
        long maxUploadBytes,
        int uploadsPerHour,
        int maxOpenUploads,
        int partSizeBytes,
        Duration uploadExpiry,
        Duration sweepInterval,
        String ffprobe,
        Duration probeTimeout,
        Duration publishTimeout,
        byte[] playbackTokenKey,
        Duration playbackTokenTtl) {

    private static final int MIB = 1024 * 1024;

    /** Reads and validates every setting; throws {@link dev.reel.service.config.InvalidConfigException} listing every problem. */
    public static IngestConfig from(Env env) {
        String instanceId = env.instanceId("ingest");
        String bindHost = env.string("REEL_BIND_HOST", "127.0.0.1");
        int port = env.integer("REEL_INGEST_PORT", 8090, 0, 65535);
        URI publicUrl = env.url("REEL_PUBLIC_URL", "http://127.0.0.1:8080");
        KafkaSettings kafka = KafkaSettings.from(env, instanceId);
        S3Settings s3 = S3Settings.from(env);
        long maxBytes = env.longValue("REEL_INGEST_MAX_UPLOAD_BYTES", 10L * 1024 * MIB, 1, Long.MAX_VALUE / 2);
        int uploadsPerHour = env.integer("REEL_INGEST_UPLOADS_PER_HOUR", 100, 1, 1_000_000);
        int maxOpen = env.integer("REEL_INGEST_OPEN_UPLOADS", 10, 1, 100_000);
        int partSize = env.integer("REEL_INGEST_PART_BYTES", 8 * MIB, 5 * MIB, 512 * MIB);
        Duration expiry = env.duration("REEL_INGEST_UPLOAD_EXPIRY", Duration.ofHours(24));
        Duration sweep = env.duration("REEL_INGEST_SWEEP_INTERVAL", Duration.ofMinutes(1));
        String ffprobe = env.string("REEL_INGEST_FFPROBE", "ffprobe");
        Duration probeTimeout = env.duration("REEL_INGEST_PROBE_TIMEOUT", Duration.ofSeconds(60));
        Duration publishTimeout = env.duration("REEL_INGEST_PUBLISH_TIMEOUT", Duration.ofSeconds(60));
        byte[] tokenKey = PlaybackTokens.key(env, true);
        Duration tokenTtl = env.duration("REEL_INGEST_PLAYBACK_TOKEN_TTL", Duration.ofHours(6));
        for (var check : List.of(java.util.Map.entry("REEL_INGEST_UPLOAD_EXPIRY", expiry),
                java.util.Map.entry("REEL_INGEST_SWEEP_INTERVAL", sweep),
                java.util.Map.entry("REEL_INGEST_PROBE_TIMEOUT", probeTimeout),
                java.util.Map.entry("REEL_INGEST_PUBLISH_TIMEOUT", publishTimeout),
                java.util.Map.entry("REEL_INGEST_PLAYBACK_TOKEN_TTL", tokenTtl))) {
            if (check.getValue().isZero()) {
                env.problem(check.getKey() + " must be longer than zero");
            }
        }
        env.validate();
        return new IngestConfig(instanceId, bindHost, port, publicUrl, kafka, s3, maxBytes, uploadsPerHour, maxOpen, partSize,
                expiry, sweep,
                ffprobe,
                probeTimeout, publishTimeout, tokenKey, tokenTtl);
    }

}
