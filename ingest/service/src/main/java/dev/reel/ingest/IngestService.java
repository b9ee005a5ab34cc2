package dev.reel.ingest;

import dev.reel.events.Envelope;
import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.publish.EventWriter;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.captions.CaptionsHandler;
import dev.reel.ingest.deletion.DeletionConsumer;
import dev.reel.ingest.http.Routes;
import dev.reel.ingest.http.VideoLinks;
import dev.reel.ingest.limits.UploadRate;
import dev.reel.ingest.ops.DependencyChecks;
import dev.reel.ingest.ops.IngestMetrics;
import dev.reel.ingest.probe.Ffprobe;
import dev.reel.ingest.tus.ResumableUploads;
import dev.reel.ingest.tus.SessionStore;
import dev.reel.ingest.tus.TusHandler;
import dev.reel.ingest.upload.SingleRequestUpload;
import dev.reel.ingest.upload.VideoAcceptance;
import dev.reel.ingest.upload.VideoIds;
import dev.reel.ingest.videos.VideoOwners;
import dev.reel.ingest.videos.VideosHandler;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.lifecycle.GracefulShutdown;
import dev.reel.service.ops.HttpServers;
import dev.reel.service.ops.OpsHandler;
import dev.reel.service.ops.Readiness;
import dev.reel.service.ops.ServiceMetrics;
import dev.reel.service.storage.ObjectStorage;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest service assembled from its configuration: clients, components, HTTP, and the ordered shutdown (stop
 * taking requests and let running ones finish, stop the sweeper and the deletion consumer, flush the producer, close
 * the clients). {@link Main} runs it with {@code ServiceRunner}; tests start it in-process the same way, and its
 * {@link #close()} is that shutdown.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    public static final String NAME = "ingest";

    private final Server server;
    private final GracefulShutdown shutdown;

    private IngestService(Server server, GracefulShutdown shutdown) {
        this.server = server;
        this.shutdown = shutdown;
    }

    public static IngestService start(IngestConfig config) throws Exception {
        Clock clock = Clock.systemUTC();
        GracefulShutdown shutdown = new GracefulShutdown(NAME);
        PrometheusMeterRegistry registry = ServiceMetrics.create(NAME, config.instanceId());
        IngestMetrics metrics = new IngestMetrics(registry);
        String source = NAME + "/" + config.instanceId();

        Ffprobe ffprobe = new Ffprobe(config.ffprobe(), config.probeTimeout());
        log.info("probing with {}", ffprobe.version());

        // Clients: one of each per process. No storage retries: the client retries the request itself.
        ObjectStorage storage = ObjectStorage.connect(config.s3(), Duration.ZERO);
        Map<String, Object> producerConfig = config.kafka().producer("events");
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.publishTimeout().toMillis());
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.publishTimeout().toMillis());
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, config.publishTimeout().toMillis()));
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0); // one event per upload: nothing to batch, so send at once
        // The one producer also carries the deletion consumer's dead letters.
        EventWriter events = new EventWriter(new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                new ByteArraySerializer()), source, config.publishTimeout());

        // Components.
        VideoIds ids = new VideoIds();
        VideoLinks links = new VideoLinks(config.publicUrl());
        VideoAcceptance acceptance = new VideoAcceptance(storage, ffprobe, events, metrics);
        SingleRequestUpload single = new SingleRequestUpload(storage, acceptance, ids, metrics, config.partSizeBytes(),
                config.maxUploadBytes());
        ResumableUploads resumable = new ResumableUploads(storage, new SessionStore(storage), acceptance, ids, metrics,
                config.partSizeBytes(), config.maxUploadBytes(), config.maxOpenUploads(), config.uploadExpiry(),
                // Longer than any request can spend finishing, so a sweep never races a live one.
                config.probeTimeout().plus(config.publishTimeout()).plusMinutes(1), clock);
        ScheduledExecutorService sweeper = Executors
                .newSingleThreadScheduledExecutor(r -> new Thread(r, "ingest-upload-sweeper"));
        sweeper.scheduleWithFixedDelay(resumable::sweep, config.sweepInterval().toMillis(), config.sweepInterval().toMillis(),
                TimeUnit.MILLISECONDS);

        KafkaConsumer<String, Envelope<?>> consumer = new KafkaConsumer<>(config.kafka().consumer(DeletionConsumer.GROUP_ID),
                new StringDeserializer(), new EventDeserializer());
        DeletionConsumer deletions = new DeletionConsumer(consumer, new DeadLetterPublisher(events.producer(), source),
                storage).start();

        // Who may upload and edit: the API keys of reel.keys, followed (added and revoked keys apply without a restart).
        ApiKeys keys = ApiKeys.follow(Topics.KEYS, config.kafka().consumer(config.instanceId() + "-keys"));
        Readiness readiness = new Readiness().add("api-keys", keys::isCaughtUp);
        DependencyChecks checks = new DependencyChecks(Admin.create(config.kafka().admin()), storage).start(readiness,
                Duration.ofSeconds(5));

        // HTTP: ops endpoints in front of the API; GracefulHandler lets running uploads finish on stop.
        UploadRate rate = new UploadRate(config.uploadsPerHour());
        TusHandler tus = new TusHandler(keys, resumable, rate, links);
        VideosHandler videos = new VideosHandler(keys, single, rate, new VideoOwners(storage), events, metrics,
                new PlaybackTokens(config.playbackTokenKey()), config.playbackTokenTtl(), links, clock);
        CaptionsHandler captions = new CaptionsHandler(keys, new VideoOwners(storage), storage, events, metrics, links);
        GracefulHandler graceful = new GracefulHandler(new OpsHandler(readiness, registry, Routes.of(tus, captions, videos)));
        Server server = HttpServers.start(NAME, config.bindHost(), config.port(), HttpServers.NO_BODY_LIMIT, graceful);
        log.info("ingest {} listening on http://{}:{} (public URL {})", config.instanceId(), config.bindHost(),
                HttpServers.port(server),
                config.publicUrl());

        shutdown.then("http", server::stop)
                .then("upload sweeper", sweeper::shutdownNow)
                .then("deletion consumer", deletions)
                .then("event producer", events)
                .then("readiness checks", checks)
                .then("api keys", keys)
                .then("object storage client", storage);
        return new IngestService(server, shutdown);
    }

    public int port() {
        return HttpServers.port(server);
    }

    @Override
    public void close() {
        shutdown.run();
    }
}
