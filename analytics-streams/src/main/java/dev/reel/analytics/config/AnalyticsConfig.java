package dev.reel.analytics.config;

import dev.reel.events.streams.StreamsApp;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.config.Env;
import dev.reel.service.config.StreamsAppSettings;
import dev.reel.service.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Everything analytics-streams reads from its environment, validated at start (see the module README).
 *
 * @param kafka       bootstrap servers and instance id
 * @param app         the settings every Reel Streams service has, as {@code REEL_ANALYTICS_PORT},
 *                    {@code _ADVERTISED_HOST}, {@code _APPLICATION_ID}, {@code _STATE_DIR}, {@code _PROCESSING_GUARANTEE},
 *                    {@code _STANDBY_REPLICAS}, {@code _STREAM_THREADS}, {@code _REPLICATION_FACTOR},
 *                    {@code _COMMIT_INTERVAL}, {@code _SESSION_TIMEOUT}, and {@code REEL_BIND_HOST}
 * @param peerTimeout {@code REEL_ANALYTICS_PEER_TIMEOUT}: a scatter-gather call to another instance
 * @param tokenKey    {@code REEL_PLAYBACK_TOKEN_KEY} bytes, or {@code null}: a private video's figures then open only
 *                    with its owner's API key
 * @param internalPort {@code REEL_ANALYTICS_INTERNAL_PORT}: the instance-to-instance API (scatter-gather reads),
 *                    which the front door never routes; with {@code REEL_ANALYTICS_ADVERTISED_HOST}, Kafka Streams'
 *                    {@code application.server}
 * @param queryRate   {@code REEL_ANALYTICS_QUERY_RATE}: public queries a second one client may make to this instance
 *                    (429 + {@code Retry-After} beyond); the instances' own scatter-gather calls are not counted
 */
public record AnalyticsConfig(KafkaSettings kafka, StreamsAppSettings app, Duration peerTimeout, byte[] tokenKey,
        int internalPort, int queryRate) {

    public static final String SERVICE = "analytics-streams";
    public static final int DEFAULT_PORT = 8140;
    public static final int DEFAULT_INTERNAL_PORT = 8190;
    /**
     * Every {@code exactly_once_v2} commit is a transaction the stream thread waits for, and writes the sessions and
     * buckets changed since the last one ({@code WriteBehindStore}); queries see the figures as of the last commit.
     * Measured with the 240,000-event benchmark (README): 200 ms gave 0.64x of the plain consumer and a freshness p95
     * of 1.6 s, 500 ms 0.54x and 1.3 s, 1 s 0.49x and 2.4 s: once buckets are written at the commit, a longer interval
     * saves little and delays every figure.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(200);
    /** Queries see the figures as of the last commit, so the interval bounds how fresh they are (the goal is 5 s). */
    static final Duration MAX_COMMIT_INTERVAL = Duration.ofSeconds(5);
    static final Duration MIN_COMMIT_INTERVAL = Duration.ofMillis(10);

    public static AnalyticsConfig from(Env env) {
        String instanceId = env.instanceId(SERVICE);
        KafkaSettings kafka = KafkaSettings.from(env, instanceId);
        StreamsAppSettings app = StreamsAppSettings.from(env, "REEL_ANALYTICS_", "analytics", DEFAULT_PORT,
                DEFAULT_COMMIT_INTERVAL);
        if (app.commitInterval().compareTo(MIN_COMMIT_INTERVAL) < 0 || app.commitInterval().compareTo(MAX_COMMIT_INTERVAL) > 0) {
            env.problem("REEL_ANALYTICS_COMMIT_INTERVAL must be between " + MIN_COMMIT_INTERVAL.toMillis() + "ms and "
                    + MAX_COMMIT_INTERVAL.toSeconds() + "s, was " + app.commitInterval());
        }
        Duration peer = env.duration("REEL_ANALYTICS_PEER_TIMEOUT", Duration.ofSeconds(3));
        byte[] tokenKey = PlaybackTokens.key(env, false);
        int internalPort = env.integer("REEL_ANALYTICS_INTERNAL_PORT", DEFAULT_INTERNAL_PORT, 1, 65535);
        if (internalPort == app.port()) {
            env.problem("REEL_ANALYTICS_INTERNAL_PORT must differ from REEL_ANALYTICS_PORT, both are " + app.port());
        }
        int queryRate = env.integer("REEL_ANALYTICS_QUERY_RATE", 200, 1, 1_000_000);
        env.validate();
        return new AnalyticsConfig(kafka, app, peer, tokenKey, internalPort, queryRate);
    }

    /** Where the other instances reach this one's internal API: Kafka Streams' {@code application.server}. */
    public HostInfo advertised() {
        return new HostInfo(app.advertisedHost(), internalPort);
    }

    public Path stateDir() {
        return app.stateDir();
    }

    /** The Kafka Streams configuration: Reel's shared settings of a Streams app, dead letters from this instance. */
    public Properties streamsProperties() {
        return new StreamsApp(app.applicationId(), kafka.bootstrapServers(), kafka.instanceId(), advertised(),
                app.stateDir(), app.processingGuarantee(), app.standbyReplicas(), app.streamThreads(),
                app.replicationFactor(), app.commitInterval(), app.sessionTimeout(), SERVICE + "/" + kafka.instanceId())
                .properties();
    }
}
