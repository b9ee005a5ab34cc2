package dev.reel.edge;

import dev.reel.edge.cache.CachePolicy;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.config.Env;
import dev.reel.service.kafka.KafkaSettings;
import dev.reel.service.storage.S3Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Every setting of an edge, read from environment variables with defaults; {@link #from} validates them all at once.
 *
 * @param instanceId       {@code REEL_INSTANCE_ID}: names this edge in events, client ids and metrics
 * @param bindHost         {@code REEL_BIND_HOST}
 * @param port             {@code REEL_EDGE_PORT}
 * @param publicUrl        {@code REEL_PUBLIC_URL}: the front door, for absolute links
 * @param kafka            Kafka settings
 * @param s3               object storage settings; {@code REEL_S3_TIMEOUT} defaults to 3s here, so a viewer waiting on
 *                         a cache miss gets a 503 soon when storage hangs (HAProxy retries it on the other edges too)
 * @param cacheMaxBytes    the cache's byte budget ({@code REEL_EDGE_CACHE_MAX_BYTES}, else a share of the heap)
 * @param cachePolicy      {@code REEL_EDGE_CACHE_POLICY}: {@code tinylfu} or {@code lru}
 * @param transcodingTtl   {@code REEL_EDGE_TRANSCODING_PLAYLIST_TTL}: how long playlists of unfinished videos are cached
 * @param playbackBuffer   {@code REEL_EDGE_PLAYBACK_BUFFER}: playback events held while Kafka is slow or away
 * @param tokenKey         {@code REEL_PLAYBACK_TOKEN_KEY} bytes, or {@code null}: private videos then open only with
 *                         their owner's API key
 * @param deletedIdsKept   {@code REEL_EDGE_DELETED_IDS}: how many deleted video ids are remembered to answer 410
 * @param beaconRate       {@code REEL_EDGE_BEACON_RATE}: beacons a second one client may post to this edge (429 beyond)
 * @param hardened         {@code REEL_EDGE_HARDENING}: {@code on} (security headers, body limit, beacon rate); {@code off}
 *                         is the baseline of the hardening benchmark only, never for serving
 * @param ffmpeg           {@code REEL_EDGE_FFMPEG}: remuxes downloads
 * @param scratchDir       {@code REEL_EDGE_SCRATCH_DIR}: where a download is written before it is stored
 * @param downloadMakes    {@code REEL_EDGE_DOWNLOAD_CONCURRENCY}: downloads remuxed at once
 * @param downloadTimeout  {@code REEL_EDGE_DOWNLOAD_TIMEOUT}: longest remux
 * @param downloadsAhead   {@code REEL_EDGE_DOWNLOADS_AHEAD}: {@code on} (the fleet makes a video's downloads when it
 *                         is READY, one edge per catalog partition) or {@code off} (made on first request only)
 * @param playlistWaiters  {@code REEL_EDGE_PLAYLIST_WAITERS}: master playlist requests held at once until their video
 *                         plays ({@code Prefer: wait}); more are answered at once, and 0 turns holding off
 */
public record EdgeConfig(
        String instanceId,
        String bindHost,
        int port,
        URI publicUrl,
        KafkaSettings kafka,
        S3Settings s3,
        long cacheMaxBytes,
        CachePolicy cachePolicy,
        Duration transcodingTtl,
        int playbackBuffer,
        byte[] tokenKey,
        long deletedIdsKept,
        int beaconRate,
        boolean hardened,
        String ffmpeg,
        java.nio.file.Path scratchDir,
        int downloadMakes,
        Duration downloadTimeout,
        boolean downloadsAhead,
        int playlistWaiters) {

    public static final String SERVICE = "edge";

    public static EdgeConfig from(Env env) {
        String instanceId = env.instanceId(SERVICE);
        String bindHost = env.string("REEL_BIND_HOST", "127.0.0.1");
        int port = env.integer("REEL_EDGE_PORT", 8081, 0, 65535);
        URI publicUrl = env.url("REEL_PUBLIC_URL", "http://127.0.0.1:8080");
        KafkaSettings kafka = KafkaSettings.from(env, instanceId);
        S3Settings s3 = S3Settings.from(env, Duration.ofSeconds(3));
        double heapShare = env.decimal("REEL_EDGE_CACHE_HEAP_SHARE", 0.4, 0.01, 0.9);
        long defaultBytes = (long) (Runtime.getRuntime().maxMemory() * heapShare);
        long cacheMaxBytes = env.longValue("REEL_EDGE_CACHE_MAX_BYTES", defaultBytes, 1L << 20, 1L << 40);
        String policy = env.oneOf("REEL_EDGE_CACHE_POLICY", "tinylfu", Set.of("tinylfu", "lru"));
        Duration transcodingTtl = env.duration("REEL_EDGE_TRANSCODING_PLAYLIST_TTL", Duration.ofSeconds(2));
        int playbackBuffer = env.integer("REEL_EDGE_PLAYBACK_BUFFER", 10_000, 1, 10_000_000);
        byte[] tokenKey = PlaybackTokens.key(env, false);
        long deletedIdsKept = env.longValue("REEL_EDGE_DELETED_IDS", 100_000, 0, 100_000_000);
        int beaconRate = env.integer("REEL_EDGE_BEACON_RATE", 5, 1, 1_000_000);
        boolean hardened = "on".equals(env.oneOf("REEL_EDGE_HARDENING", "on", Set.of("on", "off")));
        String ffmpeg = env.string("REEL_EDGE_FFMPEG", "ffmpeg");
        java.nio.file.Path scratch = java.nio.file.Path.of(env.string("REEL_EDGE_SCRATCH_DIR",
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "reel-edge-downloads").toString()));
        int downloadMakes = env.integer("REEL_EDGE_DOWNLOAD_CONCURRENCY", 2, 1, 64);
        Duration downloadTimeout = env.duration("REEL_EDGE_DOWNLOAD_TIMEOUT", Duration.ofMinutes(10));
        if (downloadTimeout.isZero() || downloadTimeout.isNegative()) {
            env.problem("REEL_EDGE_DOWNLOAD_TIMEOUT must be longer than zero");
        }
        boolean downloadsAhead = "on".equals(env.oneOf("REEL_EDGE_DOWNLOADS_AHEAD", "on", Set.of("on", "off")));
        int playlistWaiters = env.integer("REEL_EDGE_PLAYLIST_WAITERS", 10_000, 0, 1_000_000);
        env.validate();
        return new EdgeConfig(instanceId, bindHost, port, publicUrl, kafka, s3, cacheMaxBytes,
                "lru".equals(policy) ? CachePolicy.LRU : CachePolicy.TINY_LFU, transcodingTtl, playbackBuffer, tokenKey,
                deletedIdsKept, beaconRate, hardened, ffmpeg, scratch, downloadMakes, downloadTimeout, downloadsAhead,
                playlistWaiters);
    }

    /** The event {@code source} and {@code edge} field: {@code edge/<instance>}. */
    public String source() {
        return SERVICE + "/" + instanceId;
    }

    @Override
    public String toString() {
        return "EdgeConfig[instance=" + instanceId + ", " + bindHost + ":" + port + ", " + kafka.bootstrapServers() + ", " + s3
                + ", cache=" + (cacheMaxBytes >> 20) + " MiB " + cachePolicy + ", tokens=" + (tokenKey == null ? "off" : "on")
                + ", downloads ahead " + (downloadsAhead ? "on" : "off")
                + (hardened ? "" : ", HARDENING OFF (benchmark baseline)")
                + "]";
    }
}
