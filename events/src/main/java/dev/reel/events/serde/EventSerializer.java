package dev.reel.events.serde;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reel.events.Envelope;
import org.apache.kafka.common.serialization.Serializer;

/** Writes an {@link Envelope} as CloudEvents JSON; {@code null} is written as {@code null}. */
public final class EventSerializer implements Serializer<Envelope<?>> {

    private final JsonCodec<Envelope<?>> codec = new JsonCodec<>(new TypeReference<>() {
    });

    @Override
    public byte[] serialize(String topic, Envelope<?> envelope) {
        return codec.write(topic, envelope);
    }
}
