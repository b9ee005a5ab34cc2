package dev.reel.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Where and how a local KRaft cluster runs: one folder per node under {@code baseDir}, one broker port
 * and one controller port per node.
 *
 * @param baseDir        the cluster's folder; its data survives restarts
 * @param brokerPorts    client listener port of each node (node ids are 1..n in this order)
 * @param controllerPorts KRaft controller listener port of each node
 * @param heap           -Xmx of each broker JVM, e.g. "512m"
 * @param brokerSettings server.properties lines added to Reel's own (e.g. limits that only tests lower)
 */
public record KafkaClusterConfig(Path baseDir, List<Integer> brokerPorts, List<Integer> controllerPorts, String heap,
        Map<String, String> brokerSettings) {

    private static final String DEFAULT_HEAP = "512m";
    /**
     * What only test brokers change. Tests may give a share group a lock down to 1 s (the broker's default floor is
     * 15 s), so a test of what happens when a lock runs out, or of its renewal, waits seconds, not a deployment's lock.
     * Share group members heartbeat every second, not every 5 s: a member that joins a group whose assignment was
     * computed less than a second before gets its partitions on its next heartbeat, which tests starting several
     * workers at once would otherwise wait for.
     */
    public static final Map<String, String> TEST_BROKER_SETTINGS = Map.of(
            "group.share.min.record.lock.duration.ms", "1000",
            "group.share.min.heartbeat.interval.ms", "1000",
            "group.share.heartbeat.interval.ms", "1000");

    public KafkaClusterConfig {
        brokerPorts = List.copyOf(brokerPorts);
        controllerPorts = List.copyOf(controllerPorts);
        brokerSettings = Map.copyOf(brokerSettings);
        if (brokerPorts.isEmpty() || brokerPorts.size() != controllerPorts.size()) {
            throw new IllegalArgumentException(
                    "need one broker and one controller port per node, got " + brokerPorts + " and " + controllerPorts);
        }
    }

    /** Free ports picked now: for tests, which must not collide with a running platform or another test JVM. */
    public static KafkaClusterConfig withFreePorts(Path baseDir, int nodes) {
        return new KafkaClusterConfig(baseDir,
                IntStream.range(0, nodes).mapToObj(i -> Ports.free()).toList(),
                IntStream.range(0, nodes).mapToObj(i -> Ports.free()).toList(),
                DEFAULT_HEAP, TEST_BROKER_SETTINGS);
    }

    /** Fixed ports for the launcher: node i listens on {@code firstPort + 2i} and its controller on the next port. */
    public static KafkaClusterConfig withFixedPorts(Path baseDir, int nodes, int firstPort) {
        return new KafkaClusterConfig(baseDir,
                IntStream.range(0, nodes).mapToObj(i -> firstPort + 2 * i).toList(),
                IntStream.range(0, nodes).mapToObj(i -> firstPort + 2 * i + 1).toList(),
                DEFAULT_HEAP, Map.of());
    }

    public int nodes() {
        return brokerPorts.size();
    }

    /** Replication factor of every topic: 3 on three or more nodes, else all of them. */
    public int replicationFactor() {
        return Math.min(3, nodes());
    }

    /** 2 with RF 3, so one broker may fail while acks=all producers go on; 1 below that. */
    public int minInsyncReplicas() {
        return replicationFactor() >= 3 ? 2 : 1;
    }
}
