package dev.reel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One KRaft node (combined broker and controller) running as a child JVM from the Maven Central jars. */
public final class KafkaNode {

    private static final String KAFKA_MAIN = "kafka.Kafka";
    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";

    private final int nodeId;
    private final int brokerPort;
    private final int controllerPort;
    private final Path dir;
    private final ChildProcess process;
    private final List<String> jvmOptions;

    KafkaNode(int nodeId, int brokerPort, int controllerPort, Path dir, Path logDir, String heap) {
        this.nodeId = nodeId;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.dir = dir;
        this.jvmOptions = List.of("-Xms128m", "-Xmx" + heap, "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.xml"));
        this.process = new ChildProcess("kafka-" + nodeId,
                JavaCommand.of(RuntimeClasspath.kafkaBroker(), jvmOptions, KAFKA_MAIN, List.of(configFile().toString())),
                Map.of(), dir, logDir.resolve("kafka-" + nodeId + ".log"));
    }

    public String bootstrapAddress() {
        return "127.0.0.1:" + brokerPort;
    }

    public ChildProcess process() {
        return process;
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    Path configFile() {
        return dir.resolve("server.properties");
    }

    boolean isFormatted() {
        return Files.exists(dataDir().resolve("meta.properties"));
    }

    /** Writes this node's server.properties and log4j2 config; safe to redo on every start. */
    void writeConfig(String quorumVoters, KafkaClusterConfig cluster) {
        int rf = cluster.replicationFactor();
        int minIsr = cluster.minInsyncReplicas();
        String properties = String.join("\n",
                "# written by Reel's launcher on every start; edit KafkaNode.java instead",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + quorumVoters,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir(),
                "num.partitions=1",
                "default.replication.factor=" + rf,
                "min.insync.replicas=" + minIsr,
                "offsets.topic.replication.factor=" + rf,
                "transaction.state.log.replication.factor=" + rf,
                "transaction.state.log.min.isr=" + minIsr,
                // Without these two a one-node cluster cannot create __share_group_state and share
                // consumers silently receive nothing (see shared/ENVIRONMENT.md).
                "share.coordinator.state.topic.replication.factor=" + rf,
                "share.coordinator.state.topic.min.isr=" + minIsr,
                // Topics come from Reel's topic bootstrap with their intended configs, never by accident.
                "auto.create.topics.enable=false",
                "unclean.leader.election.enable=false",
                "group.initial.rebalance.delay.ms=0",
                "");
        StringBuilder extra = new StringBuilder();
        cluster.brokerSettings().forEach((key, value) -> extra.append(key).append('=').append(value).append('\n'));
        properties += extra;
        String log4j = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="WARN">
                  <Appenders>
                    <Console name="out" target="SYSTEM_OUT">
                      <PatternLayout pattern="%d{ISO8601} %-5p [%c{1}] %m%n"/>
                    </Console>
                  </Appenders>
                  <Loggers>
                    <Logger name="state.change.logger" level="WARN"/>
                    <Logger name="kafka.request.logger" level="WARN"/>
                    <Logger name="org.apache.kafka.storage.internals.log" level="WARN"/>
                    <Logger name="kafka.log" level="WARN"/>
                    <Root level="INFO"><AppenderRef ref="out"/></Root>
                  </Loggers>
                </Configuration>
                """;
        try {
            Files.createDirectories(dataDir());
            Files.writeString(configFile(), properties);
            Files.writeString(dir.resolve("log4j2.xml"), log4j);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the config of kafka-" + nodeId + " under " + dir, e);
        }
    }

    /** Formats the data dir with the cluster id, once: a formatted node keeps its data across restarts. */
    void formatIfNeeded(String clusterId) {
        if (isFormatted()) {
            return;
        }
        new ChildProcess("kafka-" + nodeId + "-format",
                JavaCommand.of(RuntimeClasspath.kafkaBroker(), jvmOptions, STORAGE_TOOL,
                        List.of("format", "-t", clusterId, "-c", configFile().toString())),
                Map.of(), dir, process.logFile())
                .runToCompletion(Duration.ofMinutes(2));
    }

    public void start() {
        Ports.requireFree(brokerPort, "kafka-" + nodeId + " broker");
        Ports.requireFree(controllerPort, "kafka-" + nodeId + " controller");
        process.start();
    }

    public boolean stop(Duration grace) {
        return process.stop(grace);
    }

    /** SIGKILL: the broker's crash, for fault tests. */
    public void kill() {
        process.kill();
    }

    public boolean isAlive() {
        return process.isAlive();
    }
}
