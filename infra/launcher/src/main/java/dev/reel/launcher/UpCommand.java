package dev.reel.launcher;

import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.KafkaNode;
import dev.reel.cluster.LocalCluster;
import dev.reel.cluster.S3Server;
import dev.reel.events.topics.BootstrapReport;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.launcher.platform.Platform;
import dev.reel.launcher.platform.PlatformOptions;
import dev.reel.service.auth.ApiKeyRecord;
import dev.reel.service.auth.ApiKeyWriter;
import dev.reel.service.kafka.KafkaSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reel up}: starts Kafka and the S3 server, creates the topics and the bucket, starts the services
 * behind HAProxy, uploads a generated sample video through the front door, prints where everything is, and
 * supervises until Ctrl-C or SIGTERM, when it stops every child cleanly. The data stays for the next start.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the whole platform on this machine: Kafka, S3, ingest, transcoders, catalog-streams, analytics-streams, edges, webhooks and HAProxy.")
final class UpCommand implements Callable<Integer> {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    @Mixin
    RunFolder runFolder;

    @Option(names = "--brokers", defaultValue = "${env:REEL_BROKERS:-1}",
            description = "Kafka nodes: 1, or 3 for RF 3 with min.insync.replicas 2 (env REEL_BROKERS, default ${DEFAULT-VALUE}).")
    int brokers;

    @Option(names = "--kafka-port", defaultValue = "${env:REEL_KAFKA_PORT:-9092}",
            description = "First Kafka port; node i listens on port+2i, its controller on the next (env REEL_KAFKA_PORT, default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--s3-port", defaultValue = "${env:REEL_S3_PORT:-9000}",
            description = "S3 server port (env REEL_S3_PORT, default ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(names = "--port", defaultValue = "${env:REEL_PORT:-8080}",
            description = "The front door (HAProxy) port; services take the ports after it (env REEL_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--ingests", defaultValue = "${env:REEL_INGESTS:-2}",
            description = "ingest instances behind HAProxy; any of them continues any upload (default ${DEFAULT-VALUE}).")
    int ingests;

    @Option(names = "--catalogs", defaultValue = "${env:REEL_CATALOGS:-2}",
            description = "catalog-streams instances (default ${DEFAULT-VALUE}).")
    int catalogs;

    @Option(names = "--transcoders", defaultValue = "${env:REEL_TRANSCODERS:-2}",
            description = "Transcoder workers (default ${DEFAULT-VALUE}).")
    int transcoders;

    @Option(names = "--edges", defaultValue = "${env:REEL_EDGES:-2}",
            description = "Edge servers behind HAProxy (default ${DEFAULT-VALUE}).")
    int edges;

    @Option(names = "--analytics", defaultValue = "${env:REEL_ANALYTICS:-1}",
            description = "analytics-streams instances, 0 for none (env REEL_ANALYTICS, default ${DEFAULT-VALUE}).")
    int analytics;

    @Option(names = "--webhooks-allowed-networks", defaultValue = "${env:REEL_WEBHOOKS_ALLOWED_NETWORKS:-}",
            description = "Private or loopback networks webhook deliveries may reach, e.g. 127.0.0.1/32 for a receiver on this"
                    + " machine (env REEL_WEBHOOKS_ALLOWED_NETWORKS; default none: only public addresses).")
    String webhooksAllowedNetworks;

    @Option(names = "--no-sample", description = "Do not generate and upload the sample video.")
    boolean noSample;

    @Override
    public Integer call() throws Exception {
        PlatformOptions options = new PlatformOptions(port, ingests, catalogs, transcoders, edges, analytics);
        Path dir = runFolder.path();
        LocalSecrets secrets = LocalSecrets.loadOrCreate(dir);
        LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(dir, brokers, kafkaPort, s3Port,
                secrets.s3AccessKey(), secrets.s3SecretKey(), List.of(LocalCluster.DEFAULT_BUCKET), READY_TIMEOUT));
        AtomicReference<Platform> platform = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Reel (data stays in " + dir + ") ...");
            if (platform.get() != null) {
                platform.get().close();
            }
            cluster.close();
            stopped.countDown();
        }, "reel-shutdown"));
        try {
            BootstrapReport topics = bootstrapTopics(cluster);
            // The local uploader's key, as every service reads keys: its hash on reel.keys (written again on each start,
            // which a compacted topic keeps as one record).
            ApiKeyWriter.write(new KafkaSettings(cluster.bootstrapServers(), "reel-up").producer("keys"), Topics.KEYS,
                    List.of(ApiKeyRecord.added(LocalSecrets.LOCAL_OWNER, secrets.apiKey(), Instant.now())), READY_TIMEOUT);
            Map<String, String> clientEnv = clientEnv(cluster);
            write(dir.resolve("reel.env"), clientEnv,
                    "Written by `reel up`: source it to point a service or tool at this platform.");
            Map<String, String> sharedEnv = new LinkedHashMap<>(clientEnv);
            sharedEnv.put("REEL_PUBLIC_URL", "http://127.0.0.1:" + port);
            sharedEnv.put("REEL_PLAYBACK_TOKEN_KEY", secrets.playbackTokenKey());
            List<ChildProcess> infrastructure = Stream.concat(cluster.kafka().nodes().stream().map(KafkaNode::process),
                    Stream.of(cluster.s3().process())).toList();
            platform.set(Platform.start(repositoryRoot(), dir, options, infrastructure, sharedEnv,
                    Map.of("REEL_WEBHOOKS_SECRET_KEY", secrets.webhooksSecretKey(),
                            "REEL_WEBHOOKS_ALLOWED_NETWORKS", webhooksAllowedNetworks),
                    cluster.kafka().config().replicationFactor(), READY_TIMEOUT));
            writePlatformState(dir, cluster, platform.get());
            String sample = noSample
                    ? null
                    : SampleVideo.ensure(dir, URI.create(platform.get().frontDoorUrl()), secrets.apiKey(), Duration.ofMinutes(5));
            printSummary(System.out, dir, cluster, platform.get(), topics, secrets, sample);
        } catch (RuntimeException | IOException e) {
            System.err.println("reel up failed: " + e.getMessage());
            System.exit(1); // runs the shutdown hook, which stops the children
        }
        stopped.await();
        return 0;
    }

    /** Where the modules' build output is: infra/reel passes the repository root; else the working directory. */
    private static Path repositoryRoot() {
        return Path.of(System.getProperty("reel.home", ".")).toAbsolutePath().normalize();
    }

    private static BootstrapReport bootstrapTopics(LocalCluster cluster) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            return new TopicBootstrap(admin, cluster.kafka().config().replicationFactor()).ensure(Topics.all());
        }
    }

    /** The settings every Reel service and tool reads from its environment to reach this platform's Kafka and S3. */
    private static Map<String, String> clientEnv(LocalCluster cluster) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REEL_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        env.put("REEL_S3_ENDPOINT", cluster.s3Endpoint().url());
        env.put("REEL_S3_ACCESS_KEY", cluster.s3Endpoint().accessKey());
        env.put("REEL_S3_SECRET_KEY", cluster.s3Endpoint().secretKey());
        env.put("REEL_S3_REGION", cluster.s3Endpoint().region());
        env.put("REEL_S3_BUCKET", LocalCluster.DEFAULT_BUCKET);
        return env;
    }

    /** What `reel status` reads: every process's port and log, the front door and the cluster. */
    private static void writePlatformState(Path dir, LocalCluster cluster, Platform platform) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("kafka.bootstrap.servers", cluster.bootstrapServers());
        state.put("frontdoor.url", platform.frontDoorUrl());
        for (Platform.ProcessInfo process : platform.processes()) {
            state.put("process." + process.name() + ".port", Integer.toString(process.port()));
            state.put("process." + process.name() + ".log", process.log().toString());
        }
        write(dir.resolve(StatusCommand.STATE_FILE), state, "Written by `reel up`; read by `reel status`.");
    }

    private static void write(Path file, Map<String, String> values, String comment) {
        StringBuilder text = new StringBuilder("# ").append(comment).append('\n');
        values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void printSummary(PrintStream out, Path dir, LocalCluster cluster, Platform platform, BootstrapReport topics,
            LocalSecrets secrets, String sampleVideoId) {
        int nodes = cluster.kafka().nodes().size();
        String door = platform.frontDoorUrl();
        out.println();
        out.println("Reel is up. Run folder: " + dir);
        out.println();
        out.println("  Library   " + door + "/");
        out.println("  Analytics " + door + "/analytics");
        if (sampleVideoId != null) {
            out.println("  Sample    " + door + "/watch/" + sampleVideoId);
        }
        out.println("  API key   " + secrets.apiKey() + "  (uploads, edits, webhooks; owner '" + LocalSecrets.LOCAL_OWNER + "')");
        out.println(
                "  Upload    infra/reel upload --api-key " + secrets.apiKey() + " --title \"My video\" --wait path/to/video.mp4");
        out.println();
        out.printf("  Kafka     %s  (%d KRaft node%s, replication factor %d)%n", cluster.bootstrapServers(), nodes,
                nodes == 1 ? "" : "s", cluster.kafka().config().replicationFactor());
        out.printf("  S3        %s  (%s, bucket '%s', credentials in %s)%n", cluster.s3Endpoint().url(),
                S3Server.availableKind() == S3Server.Kind.MINIO ? "MinIO" : "S3Proxy", LocalCluster.DEFAULT_BUCKET,
                dir.resolve(LocalSecrets.FILE));
        out.printf("  Topics    %s%s%n", String.join(", ", Topics.all().stream().map(t -> t.name()).toList()),
                topics.created().isEmpty() ? "" : " (created " + topics.created().size() + ")");
        topics.drift().forEach(
                d -> out.printf("  DRIFT     %s: %s is %s, expected %s%n", d.topic(), d.property(), d.actual(), d.expected()));
        for (Platform.ProcessInfo process : platform.processes()) {
            out.printf("  %-9s :%d  log %s%n", process.name(), process.port(), dir.relativize(process.log()));
        }
        out.println();
        out.println("  infra/reel status         processes, health, consumer lag, videos by state");
        out.println("  infra/reel tail playback  the events as they arrive (uploads, transcode, catalog, playback, dlq)");
        out.println();
        out.println("Ctrl-C stops everything; the data stays in the run folder for the next start.");
        out.flush();
    }
}
