package dev.reel.events.topics;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a topic should look like.
 *
 * @param name       the topic name
 * @param partitions the partition count
 * @param configs    topic configs that differ from the broker defaults, e.g. {@code cleanup.policy}
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    public TopicSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be positive, was " + partitions);
        }
        configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
    }

    /** This spec with one more config, or with its value replaced. */
    public TopicSpec withConfig(String key, String value) {
        Map<String, String> merged = new HashMap<>(configs);
        merged.put(key, value);
        return new TopicSpec(name, partitions, merged);
    }
}
