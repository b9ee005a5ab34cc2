package dev.reel.launcher;

import dev.reel.cluster.LocalCluster;
import dev.reel.cluster.S3Server;
import dev.reel.events.topics.BootstrapReport;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reel up}: starts the platform's real parts, creates the topics and buckets, prints where
 * everything is, and supervises until Ctrl-C or SIGTERM, when it stops every child cleanly.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start Kafka and the S3 server on this machine (the services join as their issues land).")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--run-dir", defaultValue = "${env:REEL_RUN_DIR:-.reel}",
            description = "Folder for data, logs and generated secrets (env REEL_RUN_DIR, default ${DEFAULT-VALUE}).")
    Path runDir;

    @Option(names = "--brokers", defaultValue = "${env:REEL_BROKERS:-1}",
            description = "Kafka nodes: 1, or 3 for RF 3 with min.insync.replicas 2 (env REEL_BROKERS, default ${DEFAULT-VALUE}).")
    int brokers;

    @Option(names = "--kafka-port", defaultValue = "${env:REEL_KAFKA_PORT:-9092}",
            description = "First Kafka port; node i listens on port+2i, its controller on the next (env REEL_KAFKA_PORT, default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--s3-port", defaultValue = "${env:REEL_S3_PORT:-9000}",
            description = "S3 server port (env REEL_S3_PORT, default ${DEFAULT-VALUE}).")
    int s3Port;

    @Override
    public Integer call() throws Exception {
        Path dir = runDir.toAbsolutePath().normalize();
        LocalSecrets secrets = LocalSecrets.loadOrCreate(dir);
        LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(dir, brokers, kafkaPort, s3Port,
                secrets.s3AccessKey(), secrets.s3SecretKey(), List.of(LocalCluster.DEFAULT_BUCKET), Duration.ofMinutes(3)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Reel (data stays in " + dir + ") ...");
            cluster.close();
            stopped.countDown();
        }, "reel-shutdown"));
        try {
            BootstrapReport topics = bootstrapTopics(cluster);
            Path env = writeClientEnv(dir, cluster);
            printSummary(System.out, dir, cluster, topics, env);
        } catch (RuntimeException e) {
            System.err.println("reel up failed after start: " + e.getMessage());
            System.exit(1); // runs the shutdown hook, which stops the children
        }
        stopped.await();
        return 0;
    }

    private static BootstrapReport bootstrapTopics(LocalCluster cluster) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            return new TopicBootstrap(admin, cluster.kafka().config().replicationFactor()).ensure(Topics.all());
        }
    }

    /** The settings every Reel service reads from its environment, for services and tools started by hand. */
    private static Path writeClientEnv(Path dir, LocalCluster cluster) {
        Path file = dir.resolve("reel.env");
        String env = String.join("\n",
                "# Written by `reel up`: source it to point a service or tool at this platform.",
                "REEL_KAFKA_BOOTSTRAP_SERVERS=" + cluster.bootstrapServers(),
                "REEL_S3_ENDPOINT=" + cluster.s3Endpoint().url(),
                "REEL_S3_ACCESS_KEY=" + cluster.s3Endpoint().accessKey(),
                "REEL_S3_SECRET_KEY=" + cluster.s3Endpoint().secretKey(),
                "REEL_S3_REGION=" + cluster.s3Endpoint().region(),
                "REEL_S3_BUCKET=" + LocalCluster.DEFAULT_BUCKET,
                "");
        try {
            Files.writeString(file, env);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void printSummary(PrintStream out, Path dir, LocalCluster cluster, BootstrapReport topics, Path env) {
        int nodes = cluster.kafka().nodes().size();
        out.println();
        out.println("Reel is up. Run folder: " + dir);
        out.printf("  Kafka   %s  (%d KRaft node%s, replication factor %d)%n", cluster.bootstrapServers(), nodes,
                nodes == 1 ? "" : "s", cluster.kafka().config().replicationFactor());
        out.printf("  S3      %s  (%s, bucket '%s', credentials in %s)%n", cluster.s3Endpoint().url(),
                S3Server.availableKind() == S3Server.Kind.MINIO ? "MinIO" : "S3Proxy", LocalCluster.DEFAULT_BUCKET,
                dir.resolve(LocalSecrets.FILE));
        out.printf("  Topics  %s%s%n", String.join(", ", Topics.all().stream().map(t -> t.name()).toList()),
                topics.created().isEmpty() ? "" : " (created " + topics.created().size() + ")");
        topics.drift().forEach(d -> out.printf("  DRIFT   %s: %s is %s, expected %s%n", d.topic(), d.property(), d.actual(), d.expected()));
        out.println("  Logs    " + dir.resolve("logs"));
        out.println("  Env     " + env + "  (source it to point a client at this platform)");
        out.println();
        out.println("Services (ingest, transcoder, catalog-streams, edge-server, HAProxy) are not part of Reel yet:");
        out.println("this brings up Kafka and S3 only. Ctrl-C stops everything; the data stays for the next start.");
        out.flush();
    }
}
