package dev.reel.catalog.config;

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
 * @param bindHost           {@code REEL_BIND_HOST}: address the HTTP server binds
 * @param advertised         {@code REEL_CATALOG_ADVERTISED_HOST} and {@code REEL_CATALOG_PORT}: where other
 *                           instances reach this one; Kafka Streams' {@code application.server}
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
 */
public record CatalogConfig(
        KafkaSettings kafka,
        String bindHost,
        HostInfo advertised,
        String applicationId,
        Path stateDir,
        String processingGuarantee,
        int standbyReplicas,
        int streamThreads,
        int replicationFactor,
        Duration commitInterval,
        Duration sessionTimeout,
        Duration forwardTimeout) {

    public static final String SERVICE = "catalog-streams";
    public static final int DEFAULT_PORT = 8090;

    public static CatalogConfig from(Env env) {
        String instanceId = env.instanceId(SERVICE);
        KafkaSettings kafka = KafkaSettings.from(env, instanceId);
        StreamsAppSettings app = StreamsAppSettings.from(env, "REEL_CATALOG_", "catalog", DEFAULT_PORT, Duration.ofMillis(100));
        Duration forward = env.duration("REEL_CATALOG_FORWARD_TIMEOUT", Duration.ofSeconds(3));
        env.validate();
        return new CatalogConfig(kafka, app.bindHost(), new HostInfo(app.advertisedHost(), app.port()), app.applicationId(),
                app.stateDir(), app.processingGuarantee(), app.standbyReplicas(), app.streamThreads(),
                app.replicationFactor(), app.commitInterval(), app.sessionTimeout(), forward);
    }

    /** The {@code source} this process writes in dead-letter headers, {@code catalog-streams/<instance>}. */
    public String source() {
        return SERVICE + "/" + kafka.instanceId();
    }

}
