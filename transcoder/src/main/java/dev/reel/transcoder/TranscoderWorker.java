package dev.reel.transcoder;

import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.publish.EventWriter;
import dev.reel.events.topics.Topics;
import dev.reel.service.lifecycle.GracefulShutdown;
import dev.reel.service.ops.HttpServers;
import dev.reel.service.ops.OpsHandler;
import dev.reel.service.ops.Readiness;
import dev.reel.service.ops.ServiceMetrics;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.transcoder.job.JobConsumer;
import dev.reel.transcoder.job.NoStallStart;
import dev.reel.transcoder.job.ShareGroupSetup;
import dev.reel.transcoder.job.Transcode;
import dev.reel.transcoder.job.UploadJobs;
import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.ops.TranscoderMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running worker: its clients, its job consumer and its ops endpoints. {@link #close()} shuts it down in order. */
public final class TranscoderWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TranscoderWorker.class);
    /** How long an event waits for the brokers' acknowledgement, and the producer for its last sends at shutdown. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    /** How long shutdown lets segment uploads still in flight finish. */
    private static final Duration UPLOADS_DRAIN = Duration.ofSeconds(30);

    private final GracefulShutdown shutdown;
    private final Server http;

    private TranscoderWorker(GracefulShutdown shutdown, Server http) {
        this.shutdown = shutdown;
        this.http = http;
    }

    public static TranscoderWorker start(TranscoderConfig config) throws Exception {
        requireFfmpeg(config.encoder().ffmpeg());
        requireFfmpeg(config.encoder().ffprobe());
        Files.createDirectories(config.scratchDir());
        PrometheusMeterRegistry registry = ServiceMetrics.create(TranscoderConfig.SERVICE, config.instanceId());
        TranscoderMetrics metrics = new TranscoderMetrics(registry);

        try (Admin admin = Admin.create(config.kafka().admin())) {
            ShareGroupSetup.apply(admin, config.groupId(), config.lockDuration());
        }
        // one producer for the events and the dead letters
        EventWriter events = new EventWriter(new KafkaProducer<>(config.kafka().producer("events"), new ByteArraySerializer(),
                new ByteArraySerializer()), config.eventSource(), ACK_TIMEOUT);
        ObjectStorage storage = ObjectStorage.connect(config.s3(), config.storageRetry());
        // uploads are network waits: a few per job keep the store busy while ffmpeg encodes
        ExecutorService uploads = Executors.newFixedThreadPool(4 * config.concurrency(),
                Thread.ofPlatform().name("upload-", 1).daemon().factory());
        Transcode transcode = new Transcode(storage, metrics::bytesWritten, events, LadderTable.DEFAULT, config.encoder(),
                config.passthrough(), config.scratchDir(), config.jobTimeout(), uploads,
                new NoStallStart(config.leadSegments(), config.encoder().segmentSeconds()), config.instanceId());
        UploadJobs handler = new UploadJobs(transcode, events, new DeadLetterPublisher(events.producer(), config.eventSource()),
                metrics, config.maxAttempts(), config.instanceId());
        JobConsumer jobs = new JobConsumer(new KafkaShareConsumer<>(shareConsumerConfig(config), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), Topics.UPLOADS, handler, config.concurrency(), config.lockDuration(),
                config.shutdownGrace(), "transcoder").start();
        // the jobs stop first, so that their last uploads and events still find the clients open
        GracefulShutdown shutdown = new GracefulShutdown(TranscoderConfig.SERVICE + " " + config.instanceId())
                .then("jobs", jobs)
                .then("uploads", () -> awaitUploads(uploads))
                .then("producer", events)
                .then("object storage client", storage);

        Readiness readiness = new Readiness().add("jobs", jobs::isTakingJobs);
        Server http = HttpServers.start(TranscoderConfig.SERVICE, config.bindHost(), config.port(),
                new OpsHandler(readiness, registry, null));
        shutdown.then("ops endpoints", http::stop);
        log.info("transcoder {} up: ops on http://{}:{}, group '{}', concurrency {}, preset {}, lock {}", config.instanceId(),
                config.bindHost(), HttpServers.port(http), config.groupId(), config.concurrency(), config.encoder().preset(),
                config.lockDuration());
        return new TranscoderWorker(shutdown, http);
    }

    /** The port the ops endpoints listen on. */
    public int port() {
        return HttpServers.port(http);
    }

    static Map<String, Object> shareConsumerConfig(TranscoderConfig config) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, config.instanceId() + "-jobs");
        settings.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        // fetch no more than the worker can run, and no prefetch: a job waiting in a busy worker's buffer would sit
        // out its lock while a free worker idles
        settings.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.concurrency());
        return settings;
    }

    private static void requireFfmpeg(String executable) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(executable, "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(executable + " -version failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("the transcoder needs " + executable + " (apt-get install ffmpeg): " + e.getMessage(),
                    e);
        }
    }

    private static void awaitUploads(ExecutorService uploads) throws InterruptedException {
        uploads.shutdown();
        if (!uploads.awaitTermination(UPLOADS_DRAIN.toSeconds(), TimeUnit.SECONDS)) {
            log.warn("uploads still running after {}", UPLOADS_DRAIN);
        }
    }

    /** Stops taking jobs, finishes or releases the running ones within the grace period, then closes the clients. */
    @Override
    public void close() {
        shutdown.close();
    }
}
