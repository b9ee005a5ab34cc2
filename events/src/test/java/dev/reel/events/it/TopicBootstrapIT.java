package dev.reel.events.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.topics.BootstrapReport;
import dev.reel.events.topics.Drift;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.TopicSpec;
import dev.reel.events.topics.Topics;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The topic bootstrap against the real broker: idempotent, and it reports drift without touching a topic. */
@RealCluster
class TopicBootstrapIT {

    private final ClusterEndpoints cluster;
    private Admin admin;

    TopicBootstrapIT(ClusterEndpoints cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void admin() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @AfterEach
    void close() {
        admin.close();
    }

    @Test
    void secondRunCreatesNothingAndFindsNoDrift() {
        TopicBootstrap bootstrap = new TopicBootstrap(admin, 1);
        BootstrapReport first = bootstrap.ensure(Topics.all());
        BootstrapReport second = bootstrap.ensure(Topics.all());

        List<String> names = Topics.all().stream().map(TopicSpec::name).toList();
        assertThat(first.created()).allMatch(names::contains);
        assertThat(second.created()).isEmpty();
        assertThat(second.drift()).isEmpty();
        assertThat(second.unchanged()).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void driftIsReportedAndTheTopicLeftAsItIs() throws Exception {
        String name = "drift-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(name, 2, (short) 1)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "3600000")))).all().get(30, TimeUnit.SECONDS);
        TopicSpec spec = new TopicSpec(name, 4, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "604800000"));

        BootstrapReport report = new TopicBootstrap(admin, 1).ensure(List.of(spec));

        assertThat(report.created()).isEmpty();
        assertThat(report.drift()).containsExactlyInAnyOrder(
                new Drift(name, Drift.PARTITIONS, "4", "2"),
                new Drift(name, TopicConfig.RETENTION_MS_CONFIG, "604800000", "3600000"));
        assertThat(admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS).get(name).partitions())
                .as("the bootstrap never alters a topic").hasSize(2);
    }
}
