package dev.reel.edge;

import dev.reel.edge.cache.SegmentCache;
import dev.reel.edge.http.EdgeRoutes;
import dev.reel.edge.http.MediaHandler;
import dev.reel.edge.http.TextCompression;
import dev.reel.edge.playback.PlaybackEvents;
import dev.reel.edge.player.BeaconHandler;
import dev.reel.edge.player.PlayerHandler;
import dev.reel.edge.replica.CatalogReplica;
import dev.reel.edge.storage.MediaStorage;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.ops.HttpServers;
import dev.reel.service.ops.OpsHandler;
import dev.reel.service.ops.Readiness;
import dev.reel.service.ops.ServiceMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minio.MinioClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One edge server, wired: catalog replica, storage, cache, playback events and the Jetty handlers. */
public final class Edge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Edge.class);

    private final EdgeConfig config;
    private final PrometheusMeterRegistry registry;
    private final CatalogReplica catalog;
    private final MinioClient storageClient;
    private final ExecutorService storageReads = Executors.newVirtualThreadPerTaskExecutor();
    private final SegmentCache cache;
    private final PlaybackEvents events;
    private final Server server;

    private Edge(EdgeConfig config) throws Exception {
        this.config = config;
        registry = ServiceMetrics.create(EdgeConfig.SERVICE, config.instanceId());
        catalog = new CatalogReplica(config.kafka().consumer(config.instanceId() + "-catalog")).start();
        storageClient = config.s3().client();
        MediaStorage storage = new MediaStorage(storageClient, config.s3().bucket(), registry);
        cache = new SegmentCache(config.cachePolicy(), config.cacheMaxBytes(), storage::read, storageReads, registry);
        events = new PlaybackEvents(config.kafka().producer("playback"), config.source(), config.playbackBuffer(), registry);
        PlaybackTokens tokens = config.tokenKey() == null ? null : new PlaybackTokens(config.tokenKey());
        Readiness readiness = new Readiness().add("catalog-replica", catalog::isCaughtUp);
        Gauge.builder("reel.edge.catalog.videos", catalog, CatalogReplica::size).register(registry);
        Gauge.builder("reel.edge.catalog.caught.up", catalog, c -> c.isCaughtUp() ? 1 : 0).register(registry);
        FunctionCounter.builder("reel.edge.catalog.skipped.records", catalog, CatalogReplica::skippedRecords).register(registry);
        Handler routes = new EdgeRoutes(
                new MediaHandler(catalog, cache, tokens, events, config.source(), config.transcodingTtl()),
                new BeaconHandler(events),
                new PlayerHandler(catalog, tokens));
        try {
            server = HttpServers.start("edge", config.bindHost(), config.port(),
                    new OpsHandler(readiness, registry, cors(TextCompression.around(routes))));
        } catch (Exception e) {
            closeClients();
            throw e;
        }
        log.info("edge {} listening on {}:{} ({})", config.instanceId(), config.bindHost(), port(), config);
    }

    /** Starts an edge; it answers at once, and {@code /readyz} turns 200 when the catalog replica has caught up. */
    public static Edge start(EdgeConfig config) throws Exception {
        return new Edge(config);
    }

    /** Players on other origins may fetch playlists and segments, with Range. */
    private static Handler cors(Handler next) {
        CrossOriginHandler cors = new CrossOriginHandler();
        cors.setAllowedOriginPatterns(Set.of("*"));
        cors.setAllowedMethods(Set.of("GET", "HEAD", "POST", "OPTIONS"));
        cors.setAllowedHeaders(Set.of("Range", "If-None-Match", "If-Modified-Since", "Content-Type"));
        cors.setExposedHeaders(Set.of("Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Last-Modified"));
        cors.setPreflightMaxAge(Duration.ofDays(1));
        cors.setHandler(next);
        return cors;
    }

    public int port() {
        return HttpServers.port(server);
    }

    public CatalogReplica catalog() {
        return catalog;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private void closeClients() {
        events.close();
        catalog.close();
        storageReads.close();
        try {
            storageClient.close();
        } catch (Exception e) {
            log.warn("closing the storage client: {}", e.toString());
        }
    }

    /** Stops taking requests (running ones finish), then drains playback events, then closes the clients. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("stopping the HTTP server: {}", e.toString());
        }
        closeClients();
        log.info("edge {} stopped", config.instanceId());
    }
}
