package dev.reel.analytics.metrics;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** {@link Metrics} in its binary form, for the window stores and their changelogs. */
public final class MetricsSerde implements Serde<Metrics> {

    @Override
    public Serializer<Metrics> serializer() {
        return (topic, metrics) -> metrics == null ? null : metrics.toBytes();
    }

    @Override
    public Deserializer<Metrics> deserializer() {
        return (topic, bytes) -> bytes == null ? null : Metrics.fromBytes(bytes);
    }
}
