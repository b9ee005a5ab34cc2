package dev.reel.events.serde;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reel.events.Envelope;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads an {@link Envelope} from CloudEvents JSON, its {@code data} as the record its {@code type} names.
 * A {@code null} value is read as {@code null} (Kafka's convention; Reel's event topics carry no tombstones).
 */
public final class EventDeserializer implements Deserializer<Envelope<?>> {

    private final JsonCodec<Envelope<?>> codec = new JsonCodec<>(new TypeReference<>() {
    });

    /**
     * @throws MalformedEventException if the value is not a valid Reel event
     */
    @Override
    public Envelope<?> deserialize(String topic, byte[] value) {
        return codec.read(topic, value);
    }
}
