package dev.reel.edge;

import dev.reel.edge.cache.SegmentCache;
import dev.reel.edge.cmcd.CmcdParser;
import dev.reel.edge.download.DownloadHandler;
import dev.reel.edge.download.DownloadMaker;
import dev.reel.edge.download.DownloadsAhead;
import dev.reel.edge.http.EdgeRoutes;
import dev.reel.edge.http.MediaHandler;
import dev.reel.edge.http.SecurityHeaders;
import dev.reel.edge.http.TextCompression;
import dev.reel.edge.http.VideoGate;
import dev.reel.edge.playback.PlaybackEvents;
import dev.reel.edge.player.BeaconHandler;
import dev.reel.edge.player.PlayerHandler;
import dev.reel.edge.replica.CatalogReplica;
import dev.reel.edge.replica.VideoChanges;
import dev.reel.edge.storage.MediaStorage;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.http.ClientLimits;
import dev.reel.service.lifecycle.GracefulShutdown;
import dev.reel.service.ops.HttpServers;
import dev.reel.service.ops.OpsHandler;
import dev.reel.service.ops.Readiness;
import dev.reel.service.ops.ServiceMetrics;
import dev.reel.service.storage.ObjectStorage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One edge server, wired: catalog replica, storage, cache, playback events and the Jetty handlers. */
public final class Edge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Edge.class);

    private final String instanceId;
    private final Server server;
    private final CatalogReplica catalog;
    private final GracefulShutdown shutdown;

    private Edge(String instanceId, Server server, CatalogReplica catalog, GracefulShutdown shutdown) {
        this.instanceId = instanceId;
        this.server = server;
        this.catalog = catalog;
        this.shutdown = shutdown;
    }

    /**
     * Starts an edge; it answers at once, and {@code /readyz} turns 200 when the catalog replica has caught up. When a
     * part fails to start, the parts started before it are closed.
     */
    public static Edge start(EdgeConfig config) throws Exception {
        // Each part adds its shutdown step as it starts. HTTP starts last but stops first (running requests finish),
        // then buffered playback events drain, then the clients close, storage reads before the client they use.
        AtomicReference<Server> http = new AtomicReference<>();
        // requests held for a video to become playable are answered first, so none holds up the drain
        VideoChanges changes = new VideoChanges(config.playlistWaiters());
        GracefulShutdown shutdown = new GracefulShutdown(EdgeConfig.SERVICE).then("held playlist requests", changes)
                .then("http", () -> LifeCycle.stop(http.get()));
        // made while storage and the download executor are still there: it stops before them
        AtomicReference<DownloadsAhead> ahead = new AtomicReference<>();
        shutdown.then("downloads ahead", () -> {
            if (ahead.get() != null) {
                ahead.get().close();
            }
        });
        try {
            PrometheusMeterRegistry registry = ServiceMetrics.create(EdgeConfig.SERVICE, config.instanceId());
            PlaybackEvents events = new PlaybackEvents(config.kafka().producer("playback"), config.source(),
                    config.playbackBuffer(), registry);
            shutdown.then("playback events", events);
            ExecutorService storageReads = Executors.newVirtualThreadPerTaskExecutor();
            shutdown.then("storage reads", storageReads);
            // No retry budget: a viewer's player retries, and HAProxy retries a 503 on the other edges.
            ObjectStorage storage = ObjectStorage.connect(config.s3(), Duration.ZERO);
            shutdown.then("storage client", storage);

            MediaStorage media = new MediaStorage(storage, registry);
            SegmentCache cache = new SegmentCache(config.cachePolicy(), config.cacheMaxBytes(), media::read, storageReads,
                    registry);
            // A deleted video is gone from the cache too, as soon as its tombstone is read.
            CatalogReplica catalog = new CatalogReplica(config.kafka().consumer(config.instanceId() + "-catalog"),
                    config.deletedIdsKept(), videoId -> cache.invalidatePrefix(ObjectKeys.mediaPrefix(videoId)),
                    changes::changed).start();
            shutdown.then("catalog replica", catalog);
            ApiKeys keys = ApiKeys.follow(Topics.KEYS, config.kafka().consumer(config.instanceId() + "-keys"));
            shutdown.then("api keys", keys);
            PlaybackTokens tokens = config.tokenKey() == null ? null : new PlaybackTokens(config.tokenKey());
            Readiness readiness = new Readiness().add("catalog-replica", catalog::isCaughtUp).add("api-keys",
                    keys::isCaughtUp);
            Gauge.builder("reel.edge.catalog.videos", catalog, CatalogReplica::size).register(registry);
            Gauge.builder("reel.edge.catalog.caught.up", catalog, c -> c.isCaughtUp() ? 1 : 0).register(registry);
            FunctionCounter.builder("reel.edge.catalog.skipped.records", catalog, CatalogReplica::skippedRecords)
                    .register(registry);
            Gauge.builder("reel.edge.catalog.deleted.ids", catalog, CatalogReplica::deletedIdsKept).register(registry);
            Gauge.builder("reel.edge.playlists.held", changes, VideoChanges::waiting)
                    .description("master playlist requests held until their video plays (Prefer: wait)").register(registry);
            requireFfmpeg(config.ffmpeg());
            ExecutorService downloads = Executors.newVirtualThreadPerTaskExecutor();
            shutdown.then("downloads", downloads);
            DownloadMaker maker = new DownloadMaker(storage, config.ffmpeg(), config.scratchDir(), config.downloadMakes(),
                    config.downloadTimeout(), downloads, registry);
            if (config.downloadsAhead()) {
                ahead.set(new DownloadsAhead(config.kafka().consumer(DownloadsAhead.GROUP), maker, storage,
                        config.downloadTimeout(), registry).start());
            }
            VideoGate gate = new VideoGate(catalog, tokens, keys);
            Handler beacons = new BeaconHandler(events);
            Handler routes = new EdgeRoutes(
                    new MediaHandler(gate, cache, media, storageReads, events, config.source(), config.transcodingTtl(),
                            new CmcdParser(registry), changes),
                    new DownloadHandler(gate, maker, storage, downloads),
                    config.hardened() ? ClientLimits.perClient(beacons, config.beaconRate(), "/api/beacon") : beacons,
                    new PlayerHandler(catalog, tokens, keys));
            Handler served = cors(TextCompression.around(routes));
            http.set(HttpServers.start(EdgeConfig.SERVICE, config.bindHost(), config.port(),
                    config.hardened() ? HttpServers.SMALL_BODIES : HttpServers.NO_BODY_LIMIT, HttpServers.InputBuffers.HEAP,
                    new OpsHandler(readiness, registry, config.hardened() ? new SecurityHeaders(served) : served)));
            log.info("edge {} listening on {}:{} ({})", config.instanceId(), config.bindHost(), HttpServers.port(http.get()),
                    config);
            return new Edge(config.instanceId(), http.get(), catalog, shutdown);
        } catch (Exception e) {
            shutdown.close();
            throw e;
        }
    }

    /** Downloads are remuxed with ffmpeg: an edge without it refuses to start rather than fail its first download. */
    private static void requireFfmpeg(String ffmpeg) throws IOException, InterruptedException {
        Process probe;
        try {
            probe = new ProcessBuilder(ffmpeg, "-hide_banner", "-version").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + ffmpeg + " (REEL_EDGE_FFMPEG), which downloads need: apt-get install ffmpeg",
                    e);
        }
        probe.getInputStream().readAllBytes();
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            probe.destroyForcibly();
            throw new IOException(ffmpeg + " -version failed (REEL_EDGE_FFMPEG)");
        }
    }

    /** Players on other origins may fetch playlists and segments, with Range. */
    private static Handler cors(Handler next) {
        CrossOriginHandler cors = new CrossOriginHandler();
        cors.setAllowedOriginPatterns(Set.of("*"));
        cors.setAllowedMethods(Set.of("GET", "HEAD", "POST", "OPTIONS"));
        Set<String> allowed = new HashSet<>(Set.of("Range", "If-None-Match", "If-Modified-Since", "Content-Type", "Prefer"));
        allowed.addAll(CmcdParser.HEADERS); // a player on another origin may send its CMCD as headers (after a preflight)
        cors.setAllowedHeaders(allowed);
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

    /** Stops taking requests (running ones finish), then drains playback events, then closes the clients. */
    @Override
    public void close() {
        shutdown.close();
        log.info("edge {} stopped", instanceId);
    }
}
