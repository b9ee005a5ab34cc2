package dev.reel.events.dlq;

import dev.reel.events.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends a record a consumer cannot process to {@code reel.dlq}: its key, value and headers unchanged, plus the
 * {@link DeadLetterHeaders} saying where it came from and what went wrong.
 *
 * <p>The producer is the caller's (configured with {@code acks=all}); this class neither configures nor closes
 * it. A consumer must not commit an offset past a record before the returned future of its dead-letter copy
 * has completed, or the record is lost if the process dies in between.
 */
public final class DeadLetterPublisher {

    // The copy must fit the topic's max.message.bytes next to the original value, whatever the error says.
    private static final int MAX_ERROR_MESSAGE_CHARS = 4_000;

    private final Producer<byte[], byte[]> producer;
    private final String source;
    private final Clock clock;

    /**
     * @param producer the producer to send with
     * @param source   the process dead-lettering, e.g. {@code catalog-streams/host-1}
     */
    public DeadLetterPublisher(Producer<byte[], byte[]> producer, String source) {
        this(producer, source, Clock.systemUTC());
    }

    /**
     * @param producer the producer to send with
     * @param source   the process dead-lettering, e.g. {@code catalog-streams/host-1}
     * @param clock    the clock for {@link DeadLetterHeaders#TIME}
     */
    public DeadLetterPublisher(Producer<byte[], byte[]> producer, String source, Clock clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Dead-letters a record that was read but could not be processed.
     *
     * @return the send, completed once {@code reel.dlq} acknowledged the copy
     */
    public Future<RecordMetadata> send(ConsumerRecord<byte[], byte[]> record, Throwable error) {
        return send(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value(), record.headers(), error);
    }

    /**
     * Dead-letters a record the consumer could not deserialize. The error recorded is the exception's cause
     * (e.g. a {@link dev.reel.events.serde.MalformedEventException}) when there is one, as it says what is wrong.
     *
     * @return the send, completed once {@code reel.dlq} acknowledged the copy
     */
    public Future<RecordMetadata> send(RecordDeserializationException exception) {
        Throwable error = exception.getCause() != null ? exception.getCause() : exception;
        return send(exception.topicPartition().topic(), exception.topicPartition().partition(), exception.offset(),
                exception.timestamp(), bytes(exception.keyBuffer()), bytes(exception.valueBuffer()),
                exception.headers(), error);
    }

    /**
     * Dead-letters a record given by its parts, e.g. from a Kafka Streams deserialization handler.
     *
     * @param headers the record's headers, or {@code null}
     * @return the send, completed once {@code reel.dlq} acknowledged the copy
     */
    public Future<RecordMetadata> send(String topic, int partition, long offset, long timestamp,
            byte[] key, byte[] value, Headers headers, Throwable error) {
        return producer.send(record(topic, partition, offset, timestamp, key, value, headers, error, source, clock));
    }

    /**
     * The {@code reel.dlq} copy of a record, for callers that send it themselves, e.g. a Kafka Streams exception
     * handler whose copy must go out in the task's transaction.
     *
     * @param headers the record's headers, or {@code null}
     * @param source  the process dead-lettering, e.g. {@code catalog-streams/host-1}
     */
    public static ProducerRecord<byte[], byte[]> record(String topic, int partition, long offset, long timestamp,
            byte[] key, byte[] value, Headers headers, Throwable error,
            String source, Clock clock) {
        Objects.requireNonNull(error, "error");
        RecordHeaders deadLetterHeaders = new RecordHeaders(headers == null ? new RecordHeaders() : headers);
        put(deadLetterHeaders, DeadLetterHeaders.ORIGINAL_TOPIC, topic);
        put(deadLetterHeaders, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(partition));
        put(deadLetterHeaders, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(offset));
        put(deadLetterHeaders, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(timestamp));
        put(deadLetterHeaders, DeadLetterHeaders.ERROR_CLASS, error.getClass().getName());
        put(deadLetterHeaders, DeadLetterHeaders.ERROR_MESSAGE, truncated(Objects.toString(error.getMessage(), "")));
        put(deadLetterHeaders, DeadLetterHeaders.SOURCE, source);
        put(deadLetterHeaders, DeadLetterHeaders.TIME, clock.instant().toString());
        return new ProducerRecord<>(Topics.DLQ, null, key, value, deadLetterHeaders);
    }

    /**
     * What a plain consumer does when {@code poll} throws: dead-letters the record, waits until the copy is
     * acknowledged, then seeks past the record so the next {@code poll} goes on with the one after it.
     *
     * @param consumer   the consumer whose {@code poll} threw
     * @param exception  what {@code poll} threw
     * @param ackTimeout how long to wait for {@code reel.dlq} to acknowledge the copy
     * @throws KafkaException     if the copy was not acknowledged in time; the consumer has not moved
     * @throws InterruptException if interrupted while waiting; the consumer has not moved
     */
    public void skipToDeadLetter(Consumer<?, ?> consumer, RecordDeserializationException exception, Duration ackTimeout) {
        Future<RecordMetadata> sent = send(exception);
        try {
            sent.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not dead-letter " + exception.topicPartition() + " offset "
                    + exception.offset() + " within " + ackTimeout, e instanceof ExecutionException ? e.getCause() : e);
        }
        consumer.seek(exception.topicPartition(), exception.offset() + 1);
    }

    private static void put(Headers headers, String name, String value) {
        // A record dead-lettered twice keeps only the latest error, not two values per header.
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String truncated(String message) {
        return message.length() <= MAX_ERROR_MESSAGE_CHARS ? message : message.substring(0, MAX_ERROR_MESSAGE_CHARS) + "...";
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
