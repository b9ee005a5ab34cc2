package dev.reel.catalog;

import dev.reel.catalog.config.CatalogConfig;
import dev.reel.catalog.config.StreamsSettings;
import dev.reel.catalog.query.CatalogApiHandler;
import dev.reel.catalog.query.CatalogQueries;
import dev.reel.catalog.query.InternalApiHandler;
import dev.reel.catalog.query.LocalStores;
import dev.reel.catalog.routing.KeyOwnerRouter;
import dev.reel.catalog.routing.PeerClient;
import dev.reel.catalog.routing.StandbyLags;
import dev.reel.catalog.topology.CatalogTopology;
import dev.reel.events.streams.StreamsLifecycle;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.http.ClientLimits;
import dev.reel.service.lifecycle.GracefulShutdown;
import dev.reel.service.ops.HttpServers;
import dev.reel.service.ops.OpsHandler;
import dev.reel.service.ops.Readiness;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running catalog instance: the Kafka Streams topology and two HTTP servers, each with /healthz, /readyz and
 * /metrics: the public query API on {@code REEL_CATALOG_PORT}, and the instance-to-instance API on the internal port
 * that is also its {@code application.server}.
 */
public final class CatalogService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatalogService.class);

    private final KafkaStreams streams;
    private final GracefulShutdown shutdown;

    private CatalogService(KafkaStreams streams, GracefulShutdown shutdown) {
        this.streams = streams;
        this.shutdown = shutdown;
    }

    public static CatalogService start(CatalogConfig config, PrometheusMeterRegistry registry) throws Exception {
        KafkaStreams streams = new KafkaStreams(CatalogTopology.build(), StreamsSettings.of(config));
        // Ready once RUNNING and through later rebalances, since the query API answers then too (standby or 503 per
        // key); otherwise the front door would mark every instance down at once during each rebalance.
        BooleanSupplier ready = StreamsLifecycle.watch(streams);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);

        PeerClient peers = new PeerClient(config.advertised(), config.forwardTimeout());
        StandbyLags lags = new StandbyLags(streams);
        KeyOwnerRouter router = new KeyOwnerRouter(streams, config.advertised(), peers, lags, registry);
        PlaybackTokens tokens = config.tokenKey() == null ? null : new PlaybackTokens(config.tokenKey());
        CatalogQueries queries = new CatalogQueries(streams, router, new LocalStores(streams), tokens, Clock.systemUTC());
        ApiKeys keys = ApiKeys.follow(Topics.KEYS, config.kafka().consumer(config.kafka().instanceId() + "-keys"));
        Readiness readiness = new Readiness().add("kafka-streams", ready).add("api-keys", keys::isCaughtUp);

        streams.start();
        // Two ports: the public API (what the front door routes) and the instance-to-instance API, which it never does.
        Server internal = HttpServers.start(CatalogConfig.SERVICE + "-internal", config.bindHost(), config.advertised().port(),
                HttpServers.SMALL_BODIES,
                new OpsHandler(readiness, registry, new InternalApiHandler(queries, registry)));
        Server http = HttpServers.start(CatalogConfig.SERVICE, config.bindHost(), config.publicPort(), HttpServers.SMALL_BODIES,
                new OpsHandler(readiness, registry, ClientLimits.perClient(new CatalogApiHandler(queries, keys, registry),
                        config.queryRate(), CatalogApiHandler.PREFIX + "*")));
        log.info("catalog-streams {} serving on {}:{}, internal API on {} (application.server {}:{}, state {}, {})",
                config.kafka().instanceId(), config.bindHost(), HttpServers.port(http), HttpServers.port(internal),
                config.advertised().host(), config.advertised().port(), config.stateDir().toAbsolutePath(),
                config.processingGuarantee());
        // Stop taking queries first, then close Streams, which commits the open transaction and flushes the stores.
        return new CatalogService(streams, new GracefulShutdown(CatalogConfig.SERVICE)
                .then("http", http::stop)
                .then("internal http", internal::stop)
                .then("api keys", keys)
                // leaving the group: the other instances take its partitions at once, and an instance started again is not
                // kept from ready until its old member's session (45 s) has timed out
                .then("catalog", () -> streams.close(CloseOptions.groupMembershipOperation(
                        CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30))))
                .then("streams metrics", streamsMetrics)
                .then("peer client", peers)
                .then("standby lags", lags));
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        shutdown.run();
    }
}
