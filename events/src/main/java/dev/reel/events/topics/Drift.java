package dev.reel.events.topics;

/**
 * A difference between an existing topic and its {@link TopicSpec}.
 *
 * @param topic    the topic
 * @param property {@code partitions}, {@code replication.factor} or a topic config name
 * @param expected the value the spec asks for
 * @param actual   the value the topic has, or {@code null} if the config is not set at all
 */
public record Drift(String topic, String property, String expected, String actual) {

    /** The pseudo-property of a partition-count drift. */
    public static final String PARTITIONS = "partitions";
    /** The pseudo-property of a replication-factor drift. */
    public static final String REPLICATION_FACTOR = "replication.factor";
}
