package dev.reel.launcher;

import dev.reel.events.topics.BootstrapReport;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reel topics}: creates Reel's topics on any Kafka cluster (an existing one included) and reports
 * how existing topics differ from Reel's specs. It never alters or deletes a topic.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create Reel's missing topics on a Kafka cluster and report drift. Exit code 3 when a topic drifted.")
final class TopicsCommand implements Callable<Integer> {

    static final int EXIT_DRIFT = 3;

    @Option(names = "--bootstrap-servers", required = true, defaultValue = "${env:REEL_KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env REEL_KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--replication-factor", defaultValue = "${env:REEL_REPLICATION_FACTOR:-3}",
            description = "Replication factor of new topics; min.insync.replicas follows (2 from RF 3). Env REEL_REPLICATION_FACTOR, default ${DEFAULT-VALUE}.")
    int replicationFactor;

    @Override
    public Integer call() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            BootstrapReport report = new TopicBootstrap(admin, replicationFactor).ensure(Topics.all());
            report.created().forEach(t -> System.out.println("created    " + t));
            report.unchanged().forEach(t -> System.out.println("as spec'd  " + t));
            report.drift().forEach(d -> System.out.printf("DRIFT      %s: %s is %s, expected %s%n", d.topic(), d.property(),
                    d.actual(), d.expected()));
            return report.hasDrift() ? EXIT_DRIFT : 0;
        }
    }
}
