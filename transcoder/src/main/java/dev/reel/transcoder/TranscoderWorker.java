package dev.reel.transcoder;

import dev.reel.events.ChunkRequested;
import dev.reel.events.VideoUploaded;
import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.publish.EventWriter;
import dev.reel.events.topics.Topics;
import dev.reel.service.lifecycle.GracefulShutdown;
import dev.reel.service.ops.HttpServers;
import dev.reel.service.ops.OpsHandler;
import dev.reel.service.ops.Readiness;
import dev.reel.service.ops.ServiceMetrics;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.transcoder.assembly.Assembler;
import dev.reel.transcoder.assembly.Assembly;
import dev.reel.transcoder.job.ChunkEncode;
import dev.reel.transcoder.job.EventJobs;
import dev.reel.transcoder.job.Intake;
import dev.reel.transcoder.job.JobConsumer;
import dev.reel.transcoder.job.NoStallStart;
import dev.reel.transcoder.job.ShareGroupSetup;
import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.ops.TranscoderMetrics;
import dev.reel.transcoder.ops.TranscoderMetrics.Kind;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running worker: its clients, its job consumer and its ops endpoints. {@link #close()} shuts it down in order. */
public final class TranscoderWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TranscoderWorker.class);
    /** How long an event waits for the brokers' acknowledgement, and the producer for its last sends at shutdown. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long the broker may hold an idle member's share fetch before answering it empty (the client's default is
     * 500 ms). An upload's way to PLAYABLE starts with its delivery: in the end-to-end suite (3 brokers) video.uploaded
     * to the job's start took 0-1.6 s, 0.5 s for the fast-publish check's upload, so the upload member asks at least 10
     * times a second while idle. Chunk tasks keep the default: one idle fetch is not worth 5 a second per worker there.
     */
    private static final Duration UPLOAD_FETCH_WAIT = Duration.ofMillis(100);
    private static final Duration CHUNK_FETCH_WAIT = Duration.ofMillis(500);
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
        ExecutorService uploads = Executors.newFixedThreadPool(4 * (config.concurrency() + config.intakeConcurrency()),
                Thread.ofPlatform().name("upload-", 1).daemon().factory());
        NoStallStart noStallStart = new NoStallStart(config.leadSegments(), config.encoder().segmentSeconds());
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(events.producer(), config.eventSource());
        Intake intake = new Intake(storage, metrics, events, LadderTable.DEFAULT, config.encoder(),
                config.planning(), config.scratchDir(), config.jobTimeout(), uploads, noStallStart, config.instanceId());
        ChunkEncode chunks = new ChunkEncode(storage, metrics::bytesWritten, events, config.encoder(), config.scratchDir(),
                config.jobTimeout(), uploads, config.instanceId());
        // two members of the share group: uploads (light, a viewer waits for the passthrough) are never queued behind
        // chunk encodes, which any worker takes from the one partition of reel.chunks
        JobConsumer uploadJobs = new JobConsumer(new KafkaShareConsumer<>(shareConsumerConfig(config, "uploads",
                config.intakeConcurrency(), UPLOAD_FETCH_WAIT), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                Topics.UPLOADS,
                new EventJobs<>(VideoUploaded.class, Kind.UPLOAD, intake::run, events, storage, deadLetters, metrics,
                        config.maxAttempts(), config.instanceId()),
                config.intakeConcurrency(), config.lockDuration(), config.shutdownGrace(), "intake").start();
        JobConsumer chunkJobs = new JobConsumer(new KafkaShareConsumer<>(shareConsumerConfig(config, "chunks",
                config.concurrency(), CHUNK_FETCH_WAIT), new ByteArrayDeserializer(), new ByteArrayDeserializer()), Topics.CHUNKS,
                new EventJobs<>(ChunkRequested.class, Kind.CHUNK, chunks::run, events, storage, deadLetters, metrics,
                        config.maxAttempts(), config.instanceId()),
                config.concurrency(), config.lockDuration(), config.shutdownGrace(), "chunks").start();
        Assembler assembler = Assembler.start(assemblerSettings(config), new Assembly(noStallStart, config.instanceId()),
                storage, metrics, config.eventSource());
        // the jobs stop first, so that their last uploads and events still find the clients open
        GracefulShutdown shutdown = new GracefulShutdown(TranscoderConfig.SERVICE + " " + config.instanceId())
                .then("upload jobs", uploadJobs)
                .then("chunk jobs", chunkJobs)
                .then("assembler", assembler)
                .then("uploads", () -> awaitUploads(uploads))
                .then("producer", events)
                .then("object storage client", storage);

        Readiness readiness = new Readiness().add("upload jobs", uploadJobs::isTakingJobs)
                .add("chunk jobs", chunkJobs::isTakingJobs).add("assembler", assembler::isRunning);
        Server http = HttpServers.start(TranscoderConfig.SERVICE, config.bindHost(), config.port(), HttpServers.SMALL_BODIES,
                new OpsHandler(readiness, registry, null));
        shutdown.then("ops endpoints", http::stop);
        log.info("transcoder {} up: ops on http://{}:{}, group '{}', {} upload(s) and {} chunk(s) at once, preset {}, lock {}, "
                + "chunks of {} s from {} s", config.instanceId(), config.bindHost(), HttpServers.port(http), config.groupId(),
                config.intakeConcurrency(), config.concurrency(), config.encoder().preset(), config.lockDuration(),
                config.planning().chunkSeconds(), config.planning().splitMinSeconds());
        return new TranscoderWorker(shutdown, http);
    }

    /** The assembler's Kafka Streams settings: exactly once, its state in memory (restored from its changelog). */
    static Properties assemblerSettings(TranscoderConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.assemblerId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(StreamsConfig.CLIENT_ID_CONFIG, config.instanceId() + "-assembler");
        // the folder Kafka Streams locks: one per worker, even when several share a scratch root
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.scratchDir().resolve("assembler-" + config.instanceId()).toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) config.assemblerSession().toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) Math.max(1_000, config.assemblerSession().toMillis() / 3));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return props;
    }

    /** The port the ops endpoints listen on. */
    public int port() {
        return HttpServers.port(http);
    }

    static Map<String, Object> shareConsumerConfig(TranscoderConfig config, String purpose, int concurrency,
            Duration fetchWait) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, config.instanceId() + "-" + purpose);
        settings.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        // fetch no more than the worker can run, and no prefetch: a job waiting in a busy worker's buffer would sit
        // out its lock while a free worker idles
        settings.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, concurrency);
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) fetchWait.toMillis());
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
