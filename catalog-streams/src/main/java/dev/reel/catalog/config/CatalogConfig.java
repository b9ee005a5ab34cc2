package dev.reel.catalog.config;

import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.config.Env;
import dev.reel.service.config.StreamsAppSettings;
import dev.reel.service.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Everything catalog-streams reads from its environment, validated at start.
 *
 * @param kafka              bootstrap servers and instance id
 * @param bindHost           {@code REEL_BIND_HOST}: address the HTTP servers bind
 * @param publicPort         {@code REEL_CATALOG_PORT}: the query API ({@code /api/catalog/...}), what the front door routes
 * @param advertised         {@code REEL_CATALOG_ADVERTISED_HOST} and {@code REEL_CATALOG_INTERNAL_PORT}: where other
 *                           instances reach this one's internal API ({@code /internal/...}, never routed by the front
 *                           door); Kafka Streams' {@code application.server}
 * @param applicationId      {@code REEL_CATALOG_APPLICATION_ID}: the Streams application (consumer group,
 *                           internal topic prefix)
 * @param stateDir           {@code REEL_CATALOG_STATE_DIR}: RocksDB stores and checkpoints
 * @param processingGuarantee {@code REEL_CATALOG_PROCESSING_GUARANTEE}: exactly_once_v2 or at_least_once
 * @param standbyReplicas    {@code REEL_CATALOG_STANDBY_REPLICAS}
 * @param streamThreads      {@code REEL_CATALOG_STREAM_THREADS}
 * @param replicationFactor  {@code REEL_CATALOG_REPLICATION_FACTOR}: of internal topics, -1 = broker default
 * @param commitInterval     {@code REEL_CATALOG_COMMIT_INTERVAL}: how often a transaction commits
 * @param sessionTimeout     {@code REEL_CATALOG_SESSION_TIMEOUT}: how soon a dead instance's partitions move
 * @param forwardTimeout     {@code REEL_CATALOG_FORWARD_TIMEOUT}: a query forwarded to another instance
 * @param queryRate          {@code REEL_CATALOG_QUERY_RATE}: requests a second one client may make to this instance's
 *                           public API (429 + {@code Retry-After} beyond)
 * @param tokenKey           {@code REEL_PLAYBACK_TOKEN_KEY} bytes, or {@code null}: a playback token then opens nothing
 *                           (a private video is seen by its owner's API key only)
 */
public record CatalogConfig(
        KafkaSettings kafka,
        String bindHost,
        int publicPort,
        HostInfo advertised,
        String applicationId,
        Path stateDir,
        String processingGuarantee,
        int standbyReplicas,
        int streamThreads,
        int replicationFactor,
        Duration commitInterval,
        Duration sessionTimeout,
        Duration forwardTimeout,
        int queryRate,
        byte[] tokenKey) {

    public static final String SERVICE = "catalog-streams";
    public static final int DEFAULT_PORT = 8100;
    public static final int DEFAULT_INTERNAL_PORT = 8150;

    public static CatalogConfig from(Env env) {
        String instanceId = env.instanceId(SERVICE);
        KafkaSettings kafka = KafkaSettings.from(env, instanceId);
        StreamsAppSettings app = StreamsAppSettings.from(env, "REEL_CATALOG_", "catalog", DEFAULT_PORT, Duration.ofMillis(100));
        int internalPort = env.integer("REEL_CATALOG_INTERNAL_PORT", DEFAULT_INTERNAL_PORT, 1, 65535);
        if (internalPort == app.port()) {
            env.problem("REEL_CATALOG_INTERNAL_PORT must differ from REEL_CATALOG_PORT, both are " + app.port());
        }
        Duration forward = env.duration("REEL_CATALOG_FORWARD_TIMEOUT", Duration.ofSeconds(3));
        int queryRate = env.integer("REEL_CATALOG_QUERY_RATE", 200, 1, 1_000_000);
        byte[] tokenKey = PlaybackTokens.key(env, false);
        env.validate();
        return new CatalogConfig(kafka, app.bindHost(), app.port(), new HostInfo(app.advertisedHost(), internalPort),
                app.applicationId(), app.stateDir(), app.processingGuarantee(), app.standbyReplicas(), app.streamThreads(),
                app.replicationFactor(), app.commitInterval(), app.sessionTimeout(), forward, queryRate, tokenKey);
    }

    /** The {@code source} this process writes in dead-letter headers, {@code catalog-streams/<instance>}. */
    public String source() {
        return SERVICE + "/" + kafka.instanceId();
    }

}
