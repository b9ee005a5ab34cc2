package dev.reel.events.serde;

import dev.reel.events.Envelope;
import org.apache.kafka.common.serialization.Serdes;

/** {@link EventSerializer} and {@link EventDeserializer} as one serde, e.g. for Kafka Streams. */
public final class EventSerde extends Serdes.WrapperSerde<Envelope<?>> {

    public EventSerde() {
        super(new EventSerializer(), new EventDeserializer());
    }
}
