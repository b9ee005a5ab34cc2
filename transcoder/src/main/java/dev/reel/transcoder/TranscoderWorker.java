package dev.reel.transcoder;

import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.topics.Topics;
import dev.reel.service.ops.HttpServers;
import dev.reel.service.ops.OpsHandler;
import dev.reel.service.ops.Readiness;
import dev.reel.service.ops.ServiceMetrics;
import dev.reel.transcoder.job.JobConsumer;
import dev.reel.transcoder.job.NoStallStart;
import dev.reel.transcoder.job.ShareGroupSetup;
import dev.reel.transcoder.job.Transcode;
import dev.reel.transcoder.job.UploadJobs;
import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.ops.TranscoderMetrics;
import dev.reel.transcoder.publish.EventPublisher;
import dev.reel.transcoder.storage.ObjectStore;
import dev.reel.transcoder.storage.StorageRetry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minio.MinioClient;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running worker: its clients, its job consumer and its ops endpoints. {@link #close()} shuts it down in order. */
public final class TranscoderWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TranscoderWorker.class);

    private final TranscoderConfig config;
    private final Producer<byte[], byte[]> producer;
    private final MinioClient minio;
    private final ExecutorService uploads;
    private final JobConsumer jobs;
    private final Server http;

    private TranscoderWorker(TranscoderConfig config, Producer<byte[], byte[]> producer, MinioClient minio,
            ExecutorService uploads, JobConsumer jobs, Server http) {
        this.config = config;
        this.producer = producer;
        this.minio = minio;
        this.uploads = uploads;
        this.jobs = jobs;
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
        Producer<byte[], byte[]> producer = new KafkaProducer<>(config.kafka().producer("events"),
                new ByteArraySerializer(), new ByteArraySerializer());
        MinioClient minio = config.s3().client();
        ObjectStore store = new ObjectStore(minio, config.s3().bucket(), metrics::bytesWritten,
                new StorageRetry(config.storageRetry()));
        // uploads are network waits: a few per job keep the store busy while ffmpeg encodes
        ExecutorService uploads = Executors.newFixedThreadPool(4 * config.concurrency(),
                Thread.ofPlatform().name("upload-", 1).daemon().factory());
        EventPublisher publisher = new EventPublisher(producer, config.eventSource());
        Transcode transcode = new Transcode(store, publisher, LadderTable.DEFAULT, config.encoder(), config.scratchDir(),
                config.jobTimeout(), uploads, new NoStallStart(config.leadSegments(), config.encoder().segmentSeconds()),
                config.instanceId());
        UploadJobs handler = new UploadJobs(transcode, publisher, new DeadLetterPublisher(producer, config.eventSource()),
                metrics, config.maxAttempts(), config.instanceId());
        JobConsumer jobs = new JobConsumer(new KafkaShareConsumer<>(shareConsumerConfig(config), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), Topics.UPLOADS, handler, config.concurrency(), config.lockDuration(),
                config.shutdownGrace(), "transcoder").start();

        Readiness readiness = new Readiness().add("jobs", jobs::isTakingJobs);
        Server http = HttpServers.start(TranscoderConfig.SERVICE, config.bindHost(), config.port(),
                new OpsHandler(readiness, registry, null));
        log.info("transcoder {} up: ops on http://{}:{}, group '{}', concurrency {}, preset {}, lock {}", config.instanceId(),
                config.bindHost(), HttpServers.port(http), config.groupId(), config.concurrency(), config.encoder().preset(),
                config.lockDuration());
        return new TranscoderWorker(config, producer, minio, uploads, jobs, http);
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

    /** Stops taking jobs, finishes or releases the running ones within the grace period, then closes the clients. */
    @Override
    public void close() {
        log.info("transcoder {} stopping", config.instanceId());
        jobs.close();
        uploads.shutdown();
        try {
            if (!uploads.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("uploads still running after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(30));
        closeQuietly("object storage client", minio);
        closeQuietly("ops endpoints", http::stop);
        log.info("transcoder {} stopped", config.instanceId());
    }

    private static void closeQuietly(String what, AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("closing the {}: {}", what, e.toString());
        }
    }
}
