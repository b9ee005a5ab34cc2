package dev.reel.events.serde;

import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that is not a valid Reel event or catalog value: not JSON, a missing or invalid field, an
 * unknown type, or data that does not match its type. Carries the raw bytes so the record can be sent to the
 * dead-letter topic as it was.
 *
 * <p>A {@code KafkaConsumer} reports it as the cause of a
 * {@link org.apache.kafka.common.errors.RecordDeserializationException}; see
 * {@link dev.reel.events.dlq.DeadLetterPublisher#skipToDeadLetter}.
 */
public class MalformedEventException extends SerializationException {

    private final String topic;
    private final byte[] rawValue;
    private final String reason;

    /**
     * @param topic    the topic the value was read from
     * @param rawValue the value as read
     * @param reason   what is wrong with it
     * @param cause    the parsing or validation failure
     */
    public MalformedEventException(String topic, byte[] rawValue, String reason, Throwable cause) {
        super("Malformed record value on topic '" + topic + "': " + reason, cause);
        this.topic = topic;
        this.rawValue = Objects.requireNonNull(rawValue, "rawValue").clone();
        this.reason = reason;
    }

    /** The topic the value was read from. */
    public String topic() {
        return topic;
    }

    /** A copy of the value as read. */
    public byte[] rawValue() {
        return rawValue.clone();
    }

    /** What is wrong with the value. */
    public String reason() {
        return reason;
    }
}
