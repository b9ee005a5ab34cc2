package dev.reel.service.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The settings every Reel Kafka Streams service reads the same way, each under its own prefix (e.g.
 * {@code REEL_CATALOG_}): {@code PORT}, {@code ADVERTISED_HOST}, {@code APPLICATION_ID}, {@code STATE_DIR},
 * {@code PROCESSING_GUARANTEE}, {@code STANDBY_REPLICAS}, {@code STREAM_THREADS}, {@code REPLICATION_FACTOR},
 * {@code COMMIT_INTERVAL} and {@code SESSION_TIMEOUT}, plus {@code REEL_BIND_HOST}. Problems are reported to the
 * {@link Env}; the service calls {@link Env#validate()} once it has read its own settings too.
 *
 * @param bindHost            {@code REEL_BIND_HOST}: address the HTTP server binds
 * @param advertisedHost      where the other instances reach this one (with {@code port}, Streams'
 *                            {@code application.server})
 * @param port                HTTP port; also the {@code application.server} port unless the service advertises a
 *                            separate internal port (catalog-streams)
 * @param applicationId       Streams application id: consumer group and internal topic prefix
 * @param stateDir            RocksDB state; by default keyed by port, so a restarted instance finds it again
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param standbyReplicas     standby copies of each store
 * @param streamThreads       stream threads per instance
 * @param replicationFactor   of internal topics, -1 = broker default
 * @param commitInterval      transaction commit interval
 * @param sessionTimeout      how soon a dead instance's partitions move
 */
public record StreamsAppSettings(
        String bindHost,
        String advertisedHost,
        int port,
        String applicationId,
        Path stateDir,
        String processingGuarantee,
        int standbyReplicas,
        int streamThreads,
        int replicationFactor,
        Duration commitInterval,
        Duration sessionTimeout) {

    /** The variables read under a service's prefix. */
    public static final List<String> SUFFIXES = List.of("PORT", "ADVERTISED_HOST", "APPLICATION_ID", "STATE_DIR",
            "PROCESSING_GUARANTEE", "STANDBY_REPLICAS", "STREAM_THREADS", "REPLICATION_FACTOR", "COMMIT_INTERVAL",
            "SESSION_TIMEOUT");
    public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";
    public static final String AT_LEAST_ONCE = "at_least_once";

    /**
     * @param prefix               the variables' prefix, e.g. {@code REEL_CATALOG_}
     * @param name                 the service's short name, e.g. {@code catalog}: default state folder
     *                             {@code <name>-state/<name>-<port>} and application id {@code reel-<name>}
     * @param defaultPort          the port when {@code <prefix>PORT} is not set
     * @param defaultCommit        the commit interval when {@code <prefix>COMMIT_INTERVAL} is not set
     */
    public static StreamsAppSettings from(Env env, String prefix, String name, int defaultPort, Duration defaultCommit) {
        String bindHost = env.string("REEL_BIND_HOST", "127.0.0.1");
        int port = env.integer(prefix + "PORT", defaultPort, 1, 65535);
        String advertisedHost = env.string(prefix + "ADVERTISED_HOST", "127.0.0.1");
        String applicationId = env.string(prefix + "APPLICATION_ID", "reel-" + name);
        Path stateDir = Path.of(env.string(prefix + "STATE_DIR", Path.of(name + "-state", name + "-" + port).toString()));
        String guarantee = env.oneOf(prefix + "PROCESSING_GUARANTEE", EXACTLY_ONCE_V2, Set.of(EXACTLY_ONCE_V2, AT_LEAST_ONCE));
        int standbys = env.integer(prefix + "STANDBY_REPLICAS", 1, 0, 5);
        int threads = env.integer(prefix + "STREAM_THREADS", 1, 1, 64);
        int replication = env.integer(prefix + "REPLICATION_FACTOR", -1, -1, 7);
        Duration commit = env.duration(prefix + "COMMIT_INTERVAL", defaultCommit);
        Duration session = env.duration(prefix + "SESSION_TIMEOUT", Duration.ofSeconds(45));
        if (replication == 0) {
            env.problem(prefix + "REPLICATION_FACTOR must be -1 (broker default) or at least 1, was 0");
        }
        if (session.compareTo(Duration.ofSeconds(3)) < 0) {
            env.problem(prefix + "SESSION_TIMEOUT must be at least 3s, was " + session);
        }
        return new StreamsAppSettings(bindHost, advertisedHost, port, applicationId, stateDir, guarantee, standbys, threads,
                replication, commit, session);
    }
}
