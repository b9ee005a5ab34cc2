package dev.reel.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's real parts on one machine: a Kafka cluster and an S3 server, each a supervised child
 * process with its log under {@code <runDir>/logs} and its data under {@code <runDir>/kafka} and
 * {@code <runDir>/s3}. Closing it stops them cleanly; the data stays for the next start.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

    /** The bucket Reel keeps originals and media in (prefixes {@code originals/} and {@code media/}). */
    public static final String DEFAULT_BUCKET = "reel";
    public static final String DEFAULT_ACCESS_KEY = "reel-local";
    public static final String DEFAULT_SECRET_KEY = "reel-local-secret";

    private final KafkaCluster kafka;
    private final S3Server s3;

    private LocalCluster(KafkaCluster kafka, S3Server s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    /**
     * What to start.
     *
     * @param kafkaPort first Kafka port (node i: kafkaPort + 2i, its controller the next one), or 0 for free ports
     * @param s3Port    S3 port, or 0 for a free one
     */
    public record Options(Path runDir, int brokers, int kafkaPort, int s3Port, String accessKey, String secretKey,
            List<String> buckets, Duration readyTimeout) {

        public Options {
            if (brokers != 1 && brokers != 3) {
                throw new IllegalArgumentException(
                        "brokers must be 1 or 3 (a KRaft quorum needs an odd count; 3 gives RF 3, min.insync.replicas 2), got "
                                + brokers);
            }
            buckets = List.copyOf(buckets);
        }

        /** Free ports and default credentials under {@code runDir}: what tests use. */
        public static Options forTests(Path runDir, int brokers) {
            return new Options(runDir, brokers, 0, 0, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, List.of(DEFAULT_BUCKET),
                    Duration.ofMinutes(2));
        }

        KafkaClusterConfig kafkaConfig() {
            Path dir = runDir.resolve("kafka");
            return kafkaPort == 0
                    ? KafkaClusterConfig.withFreePorts(dir, brokers)
                    : KafkaClusterConfig.withFixedPorts(dir, brokers, kafkaPort);
        }
    }

    /** Starts S3 and Kafka side by side and returns once both answer. */
    public static LocalCluster start(Options options) {
        Path logs = options.runDir().resolve("logs");
        KafkaClusterConfig kafkaConfig = options.kafkaConfig();
        for (int i = 0; i < kafkaConfig.nodes(); i++) {
            Ports.requireFree(kafkaConfig.brokerPorts().get(i), "kafka-" + (i + 1) + " broker");
            Ports.requireFree(kafkaConfig.controllerPorts().get(i), "kafka-" + (i + 1) + " controller");
        }
        int s3Port = options.s3Port() == 0 ? Ports.free() : options.s3Port();
        var s3Start = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> S3Server.start(options.runDir().resolve("s3"), logs,
                        s3Port, options.accessKey(), options.secretKey(), options.buckets(), options.readyTimeout()),
                        OwnThread.named("s3-start"));
        KafkaCluster kafka;
        try {
            kafka = KafkaCluster.start(kafkaConfig, logs, options.readyTimeout());
        } catch (RuntimeException e) {
            s3Start.thenAccept(S3Server::close);
            throw e;
        }
        try {
            S3Server s3 = s3Start.join();
            log.info("local cluster up: kafka {} | s3 {}", kafka.bootstrapServers(), s3.endpoint().url());
            return new LocalCluster(kafka, s3);
        } catch (java.util.concurrent.CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    public S3Server s3() {
        return s3;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public S3Endpoint s3Endpoint() {
        return s3.endpoint();
    }

    @Override
    public void close() {
        s3.close();
        kafka.close();
    }
}
