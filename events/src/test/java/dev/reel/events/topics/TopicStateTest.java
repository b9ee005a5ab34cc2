package dev.reel.events.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class TopicStateTest {

    private static final List<Node> BROKERS = List.of(new Node(1, "b1", 9092), new Node(2, "b2", 9092), new Node(3, "b3", 9092));
    private static final TopicSpec UPLOADS = new TopicSpec("reel.uploads", 6,
            Map.of("cleanup.policy", "delete", "retention.ms", "604800000", "min.insync.replicas", "2"));

    @Test
    void readsTheAdminDescriptions() {
        TopicDescription description = new TopicDescription("reel.uploads", false, List.of(
                partition(0, 3), partition(1, 2), partition(2, 3)));
        Config config = new Config(List.of(new ConfigEntry("cleanup.policy", "delete"), new ConfigEntry("retention.ms", "1000"),
                new ConfigEntry("sasl.secret", null)));

        TopicState state = TopicState.of(description, config);

        assertThat(state).isEqualTo(new TopicState("reel.uploads", 3, 2,
                Map.of("cleanup.policy", "delete", "retention.ms", "1000")));
    }

    @Test
    void aTopicAsSpecifiedHasNoDrift() {
        TopicState state = new TopicState("reel.uploads", 6, 3, Map.of("cleanup.policy", "delete",
                "retention.ms", "604800000", "min.insync.replicas", "2", "segment.bytes", "1073741824"));

        assertThat(state.driftFrom(UPLOADS, 3)).isEmpty();
    }

    @Test
    void reportsEveryDifferenceInAStableOrder() {
        TopicState state = new TopicState("reel.uploads", 3, 1, Map.of("cleanup.policy", "compact",
                "retention.ms", "604800000"));

        assertThat(state.driftFrom(UPLOADS, 3)).containsExactly(
                new Drift("reel.uploads", "partitions", "6", "3"),
                new Drift("reel.uploads", "replication.factor", "3", "1"),
                new Drift("reel.uploads", "cleanup.policy", "delete", "compact"),
                new Drift("reel.uploads", "min.insync.replicas", "2", null));
    }

    @Test
    void minInsyncReplicasFollowsTheReplicationFactor() {
        assertThat(IntStream.rangeClosed(1, 5).map(TopicBootstrap::minInsyncReplicas).toArray())
                .containsExactly(1, 1, 2, 2, 2);
    }

    @Test
    void withConfigAddsOrReplaces() {
        TopicSpec spec = new TopicSpec("t", 1, Map.of("cleanup.policy", "delete"));

        assertThat(spec.withConfig("min.insync.replicas", "2").configs())
                .isEqualTo(Map.of("cleanup.policy", "delete", "min.insync.replicas", "2"));
        assertThat(spec.withConfig("cleanup.policy", "compact").configs()).isEqualTo(Map.of("cleanup.policy", "compact"));
    }

    private static TopicPartitionInfo partition(int partition, int replicas) {
        List<Node> nodes = BROKERS.subList(0, replicas);
        return new TopicPartitionInfo(partition, nodes.getFirst(), nodes, nodes);
    }
}
