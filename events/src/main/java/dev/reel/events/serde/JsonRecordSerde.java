package dev.reel.events.serde;

import com.fasterxml.jackson.core.type.TypeReference;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reel JSON for a record type that is not an {@link dev.reel.events.Envelope}, e.g. the webhook topics'
 * {@link dev.reel.events.webhooks.EndpointEvent} and {@link dev.reel.events.webhooks.DeliveryEvent}; a value that
 * cannot be read is a {@link MalformedEventException} carrying its bytes, for the dead-letter topic.
 *
 * @param <T> the value type
 */
public final class JsonRecordSerde<T> implements Serializer<T>, Deserializer<T> {

    private final JsonCodec<T> codec;

    public JsonRecordSerde(TypeReference<T> type) {
        this.codec = new JsonCodec<>(type);
    }

    @Override
    public byte[] serialize(String topic, T value) {
        return codec.write(topic, value);
    }

    /** @throws MalformedEventException if the value is not a valid {@code T} */
    @Override
    public T deserialize(String topic, byte[] value) {
        return codec.read(topic, value);
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing held
    }
}
