package dev.reel.events.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * What an existing topic looks like, as described by the cluster.
 *
 * @param name              the topic
 * @param partitions        the partition count
 * @param replicationFactor the smallest replica count of any partition (the weakest one is what counts)
 * @param configs           the topic's effective configs, defaults included
 */
public record TopicState(String name, int partitions, int replicationFactor, Map<String, String> configs) {

    public TopicState {
        Objects.requireNonNull(name, "name");
        configs = Map.copyOf(configs);
    }

    /** The state of a topic from the Admin client's descriptions of it and of its configs. */
    public static TopicState of(TopicDescription description, Config config) {
        int replicationFactor = description.partitions().stream()
                .map(TopicPartitionInfo::replicas)
                .mapToInt(List::size)
                .min()
                .orElse(0);
        Map<String, String> configs = new HashMap<>();
        for (ConfigEntry entry : config.entries()) {
            if (entry.value() != null) {
                configs.put(entry.name(), entry.value());
            }
        }
        return new TopicState(description.name(), description.partitions().size(), replicationFactor, configs);
    }

    /**
     * How this topic differs from what it should be: partition count, replication factor and every config the
     * spec sets. Configs the spec does not mention are not compared.
     *
     * @param expected                  the spec, with every config to check
     * @param expectedReplicationFactor the replication factor the topic should have
     * @return the differences, empty if none
     */
    public List<Drift> driftFrom(TopicSpec expected, int expectedReplicationFactor) {
        List<Drift> drift = new ArrayList<>();
        if (partitions != expected.partitions()) {
            drift.add(new Drift(name, Drift.PARTITIONS,
                    Integer.toString(expected.partitions()), Integer.toString(partitions)));
        }
        if (replicationFactor != expectedReplicationFactor) {
            drift.add(new Drift(name, Drift.REPLICATION_FACTOR,
                    Integer.toString(expectedReplicationFactor), Integer.toString(replicationFactor)));
        }
        expected.configs().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .filter(entry -> !entry.getValue().equals(configs.get(entry.getKey())))
                .forEach(entry -> drift.add(new Drift(name, entry.getKey(), entry.getValue(), configs.get(entry.getKey()))));
        return List.copyOf(drift);
    }
}
