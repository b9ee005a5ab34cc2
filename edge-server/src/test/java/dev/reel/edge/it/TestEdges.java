package dev.reel.edge.it;

import dev.reel.edge.EdgeConfig;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeyRecord;
import dev.reel.service.auth.ApiKeyWriter;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.config.Env;
import dev.reel.service.kafka.KafkaSettings;
import dev.reel.testkit.ClusterEndpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Environment of an edge under test: the real cluster's Kafka and S3, a free port, a known token key. */
final class TestEdges {

    static final String TOKEN_KEY = "reel-test-playback-token-key-0123456789";
    static final PlaybackTokens TOKENS = new PlaybackTokens(TOKEN_KEY.getBytes(StandardCharsets.UTF_8));
    /** The API key of the test videos' owner, and another owner's. */
    static final String OWNER_KEY = "owner-key-of-the-test-videos-01";
    static final String BOB_KEY = "bob-key-of-no-test-video-0123";

    /** Adds the two keys to {@code reel.keys}, as {@code reel keys add} would. */
    static void addKeys(String bootstrapServers, String owner) {
        ApiKeyWriter.write(new KafkaSettings(bootstrapServers, "edge-it").producer("keys"), Topics.KEYS,
                List.of(ApiKeyRecord.added(owner, OWNER_KEY, Instant.now()), ApiKeyRecord.added("bob", BOB_KEY, Instant.now())),
                Duration.ofSeconds(30));
    }

    private TestEdges() {
    }

    static Map<String, String> environment(ClusterEndpoints cluster, String bootstrapServers, String instanceId, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("REEL_INSTANCE_ID", instanceId);
        env.put("REEL_EDGE_PORT", Integer.toString(port));
        env.put("REEL_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("REEL_S3_ENDPOINT", cluster.s3().url());
        env.put("REEL_S3_ACCESS_KEY", cluster.s3().accessKey());
        env.put("REEL_S3_SECRET_KEY", cluster.s3().secretKey());
        env.put("REEL_S3_REGION", cluster.s3().region());
        env.put("REEL_S3_BUCKET", cluster.bucket());
        env.put("REEL_EDGE_CACHE_MAX_BYTES", Long.toString(64L << 20));
        env.put("REEL_PLAYBACK_TOKEN_KEY", TOKEN_KEY);
        // the tests here make downloads on request and count the makes; the one test of making them ahead turns it on
        env.put("REEL_EDGE_DOWNLOADS_AHEAD", "off");
        return env;
    }

    static EdgeConfig config(ClusterEndpoints cluster, String bootstrapServers, String instanceId,
            Map<String, String> overrides) {
        Map<String, String> env = environment(cluster, bootstrapServers, instanceId, 0);
        env.putAll(overrides);
        return EdgeConfig.from(new Env(env));
    }

    /** A fresh id in ingest's format (22 URL-safe characters). */
    static String newVideoId() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
