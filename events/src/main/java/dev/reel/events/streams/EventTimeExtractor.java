package dev.reel.events.streams;

import dev.reel.events.Envelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Stream time is the envelope's {@code time} (when the event happened, e.g. when a viewer pressed play), not
 * when it reached Kafka, so a late playback event lands in the window it belongs to or, past the grace
 * period, in none.
 */
public final class EventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof Envelope<?> envelope) {
            return envelope.time().toEpochMilli();
        }
        return record.timestamp();
    }
}
