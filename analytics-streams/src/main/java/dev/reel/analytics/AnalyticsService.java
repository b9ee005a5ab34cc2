package dev.reel.analytics;

import dev.reel.analytics.config.AnalyticsConfig;
import dev.reel.analytics.metrics.Granularity;
import dev.reel.analytics.query.AnalyticsApiHandler;
import dev.reel.analytics.query.AnalyticsQueries;
import dev.reel.analytics.query.Gatherer;
import dev.reel.analytics.query.LocalFigures;
import dev.reel.analytics.topology.AnalyticsTopology;
import dev.reel.events.VideoRecord;
import dev.reel.events.streams.StreamsLifecycle;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.ClientLimits;
import dev.reel.service.lifecycle.GracefulShutdown;
import dev.reel.service.ops.HttpServers;
import dev.reel.service.ops.OpsHandler;
import dev.reel.service.ops.Readiness;
import dev.reel.service.ops.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running analytics instance: the Kafka Streams topology and the HTTP server (query API, /healthz, /readyz,
 * /metrics) on the host and port that are also its {@code application.server}.
 */
public final class AnalyticsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsService.class);

    private final KafkaStreams streams;
    private final int port;
    private final GracefulShutdown shutdown;

    private AnalyticsService(KafkaStreams streams, int port, GracefulShutdown shutdown) {
        this.streams = streams;
        this.port = port;
        this.shutdown = shutdown;
    }

    public static AnalyticsService start(AnalyticsConfig config) throws Exception {
        PrometheusMeterRegistry registry = ServiceMetrics.create(AnalyticsConfig.SERVICE, config.kafka().instanceId());
        Map<Granularity, Counter> late = new EnumMap<>(Granularity.class);
        for (Granularity granularity : Granularity.values()) {
            late.put(granularity, Counter.builder("reel.analytics.late.events").tag("granularity", granularity.name()
                    .toLowerCase(java.util.Locale.ROOT))
                    .description("events later than the grace of their bucket, left out of it").register(registry));
        }
        KafkaStreams streams = new KafkaStreams(AnalyticsTopology.build(g -> late.get(g).increment()),
                config.streamsProperties());
        BooleanSupplier ready = StreamsLifecycle.watch(streams);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);

        Gatherer gatherer = new Gatherer(streams, new LocalFigures(streams), config.advertised(), config.peerTimeout(),
                registry);
        PlaybackTokens tokens = config.tokenKey() == null ? null : new PlaybackTokens(config.tokenKey());
        AnalyticsQueries queries = new AnalyticsQueries(gatherer, videoId -> catalogRecord(streams, videoId), tokens,
                Clock.systemUTC());
        ApiKeys keys = ApiKeys.follow(Topics.KEYS, config.kafka().consumer(config.kafka().instanceId() + "-keys"));
        Readiness readiness = new Readiness().add("kafka-streams", ready).add("api-keys", keys::isCaughtUp);
        // Two ports, as the catalog has: the public API with per-client rates, and the instance-to-instance reads on the
        // port that is also the application.server, which the front door never routes.
        OpsHandler publicApi = new OpsHandler(readiness, registry, ClientLimits.perClient(
                new AnalyticsApiHandler(queries, gatherer, keys, false, registry), config.queryRate(), "/api/analytics/*"));
        OpsHandler internalApi = new OpsHandler(readiness, registry,
                new AnalyticsApiHandler(queries, gatherer, keys, true, registry));

        streams.start();
        Server http;
        Server internal = null;
        try {
            internal = HttpServers.start(AnalyticsConfig.SERVICE + "-internal", config.app().bindHost(),
                    config.advertised().port(), HttpServers.SMALL_BODIES, internalApi);
            http = HttpServers.start(AnalyticsConfig.SERVICE, config.app().bindHost(), config.app().port(),
                    HttpServers.SMALL_BODIES, publicApi);
        } catch (Exception e) {
            if (internal != null) {
                internal.stop();
            }
            streams.close(Duration.ofSeconds(30));
            keys.close();
            throw e;
        }
        log.info("analytics-streams {} serving on {}:{}, internal API on {} (application.server {}:{}, state {}, {})",
                config.kafka().instanceId(), config.app().bindHost(), HttpServers.port(http), HttpServers.port(internal),
                config.advertised().host(), config.advertised().port(), config.stateDir().toAbsolutePath(),
                config.app().processingGuarantee());
        // Stop taking queries first, then close Streams, which commits the open transaction and flushes the stores.
        return new AnalyticsService(streams, HttpServers.port(http), new GracefulShutdown(AnalyticsConfig.SERVICE)
                .then("http", http::stop)
                .then("internal http", internal::stop)
                // leaving the group: the other instances take its partitions at once, and an instance started again is not
                // kept from ready until its old member's session (45 s) has timed out
                .then("analytics", () -> streams.close(CloseOptions.groupMembershipOperation(
                        CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30))))
                .then("api keys", keys)
                .then("streams metrics", streamsMetrics));
    }

    /** The video's current catalog record, from this instance's copy of the global {@code reel.catalog} table. */
    private static Optional<VideoRecord> catalogRecord(KafkaStreams streams, String videoId) {
        try {
            ReadOnlyKeyValueStore<String, VideoRecord> catalog = streams.store(StoreQueryParameters
                    .fromNameAndType(AnalyticsTopology.CATALOG_STORE, QueryableStoreTypes.<String, VideoRecord>keyValueStore()));
            return Optional.ofNullable(catalog.get(videoId));
        } catch (InvalidStateStoreException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503, "the catalog copy is not ready; try again", e);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        shutdown.run();
    }
}
