package dev.reel.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster in KRaft mode on this machine: n combined broker+controller nodes as child JVMs.
 * Formatted on first start; started again on the same folder it keeps its topics and offsets.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    private static final String IDENTITY_FILE = "reel-cluster.properties";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final KafkaClusterConfig config;
    private final List<KafkaNode> nodes;

    private KafkaCluster(KafkaClusterConfig config, List<KafkaNode> nodes) {
        this.config = config;
        this.nodes = List.copyOf(nodes);
    }

    /** Formats (first time only), starts every node and waits until all of them serve metadata. */
    public static KafkaCluster start(KafkaClusterConfig config, Path logDir, Duration readyTimeout) {
        String clusterId = clusterIdFor(config);
        String voters = IntStream.range(0, config.nodes())
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + config.controllerPorts().get(i))
                .collect(Collectors.joining(","));
        List<KafkaNode> nodes = new ArrayList<>();
        for (int i = 0; i < config.nodes(); i++) {
            KafkaNode node = new KafkaNode(i + 1, config.brokerPorts().get(i), config.controllerPorts().get(i),
                    config.baseDir().resolve("node-" + (i + 1)), logDir, config.heap());
            node.writeConfig(voters, config);
            nodes.add(node);
        }
        // Formatting is a JVM start per node: do them side by side.
        CompletableFuture.allOf(nodes.stream()
                .map(n -> CompletableFuture.runAsync(() -> n.formatIfNeeded(clusterId),
                        OwnThread.named("format-" + n.process().name())))
                .toArray(CompletableFuture[]::new)).join();
        KafkaCluster cluster = new KafkaCluster(config, nodes);
        try {
            nodes.forEach(KafkaNode::start);
            cluster.awaitBrokers(config.nodes(), readyTimeout);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        log.info("kafka cluster {} ready: {} node(s) at {}", clusterId, config.nodes(), cluster.bootstrapServers());
        return cluster;
    }

    public String bootstrapServers() {
        return nodes.stream().map(KafkaNode::bootstrapAddress).collect(Collectors.joining(","));
    }

    public List<KafkaNode> nodes() {
        return nodes;
    }

    /** The node with this id (1-based, as in {@code node.id}). */
    public KafkaNode node(int nodeId) {
        return nodes.get(nodeId - 1);
    }

    public KafkaClusterConfig config() {
        return config;
    }

    /** Waits until {@code expected} brokers are registered and fenced ones are back, e.g. after a restart. */
    public void awaitBrokers(int expected, Duration timeout) {
        List<ChildProcess> running = nodes.stream().filter(KafkaNode::isAlive).map(KafkaNode::process).toList();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            Await.until(expected + " kafka broker(s) at " + bootstrapServers(), timeout,
                    () -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                            .nodes().get(4, TimeUnit.SECONDS).size() >= expected,
                    running);
        }
    }

    @Override
    public void close() {
        // SIGTERM all at once: stopping one by one makes the last ones wait for a lost quorum.
        CompletableFuture.allOf(nodes.stream()
                .map(n -> CompletableFuture.runAsync(() -> n.stop(STOP_GRACE), OwnThread.named("stop-" + n.process().name())))
                .toArray(CompletableFuture[]::new)).join();
    }

    /**
     * The cluster id kept in the cluster's folder, created on first start. A folder formatted for another
     * number of nodes is refused with a clear message rather than started half-broken.
     */
    private static String clusterIdFor(KafkaClusterConfig config) {
        Path file = config.baseDir().resolve(IDENTITY_FILE);
        Properties identity = new Properties();
        try {
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    identity.load(in);
                }
                int formattedNodes = Integer.parseInt(identity.getProperty("nodes"));
                if (formattedNodes != config.nodes()) {
                    throw new IllegalStateException(config.baseDir() + " holds a " + formattedNodes + "-node Kafka cluster;"
                            + " start it with " + formattedNodes + " broker(s), or use another run folder for " + config.nodes());
                }
                return identity.getProperty("cluster.id");
            }
            Files.createDirectories(config.baseDir());
            identity.setProperty("cluster.id", Uuid.randomUuid().toString());
            identity.setProperty("nodes", Integer.toString(config.nodes()));
            try (OutputStream out = Files.newOutputStream(file)) {
                identity.store(out, "Kafka cluster identity, written at format time");
            }
            return identity.getProperty("cluster.id");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
