package dev.reel.events.publish;

import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Writes Reel's events: each as a CloudEvents envelope on the topic of its type ({@link Topics#topicFor}), keyed by its
 * video id so a video's events stay in order. The producer is the caller's, configured with {@code acks=all} and
 * idempotence (service-kit's {@code KafkaSettings.producer}), so a send retried inside the client is written once; it
 * is shared by every thread of the process, and may also carry the process's dead letters.
 *
 * <p>{@link #publish} waits for the acknowledgement: a caller that reports something done after it returned never
 * reports an event that could still be lost. {@link #send} does not wait, for events where a lost one is replaced by
 * the next (progress).
 */
public final class EventWriter implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final String source;
    private final Duration ackTimeout;
    private final EventSerializer serializer = new EventSerializer();

    /**
     * @param producer   the producer to write with; {@link #close()} closes it
     * @param source     the CloudEvents {@code source} of every event, e.g. {@code ingest/ingest-1}
     * @param ackTimeout how long {@link #publish} waits for every in-sync replica to have an event
     */
    public EventWriter(Producer<byte[], byte[]> producer, String source, Duration ackTimeout) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.source = Objects.requireNonNull(source, "source");
        this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
    }

    /** The producer, for a {@link dev.reel.events.dlq.DeadLetterPublisher} on the same connection. */
    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    /** Sends a new event (fresh id) without waiting; the future completes when the broker acknowledged it. */
    public Future<RecordMetadata> send(EventData data) {
        return send(Envelope.of(source, data), null);
    }

    /**
     * Sends an envelope made elsewhere (it keeps its id, source and time) without waiting; {@code onAck} (may be null)
     * runs on the producer's thread when the broker answered.
     */
    public Future<RecordMetadata> send(Envelope<?> envelope, Callback onAck) {
        String topic = Topics.topicFor(envelope.data());
        return producer.send(new ProducerRecord<>(topic, envelope.subject().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(topic, envelope)), onAck);
    }

    /**
     * Writes a new event (fresh id) and waits until every in-sync replica has it.
     *
     * @throws EventWriteException  the broker did not take it within the ack timeout; the cause says why
     * @throws InterruptedException the thread was interrupted while waiting (the event may still be written)
     */
    public RecordMetadata publish(EventData data) throws EventWriteException, InterruptedException {
        return write(Envelope.of(source, data));
    }

    /**
     * Writes an event with a given id and waits for it: a retry after a crash or a timeout reuses the id, so consumers
     * that de-duplicate by id apply the event once.
     */
    public RecordMetadata publish(String eventId, EventData data) throws EventWriteException, InterruptedException {
        Envelope<EventData> fresh = Envelope.of(source, data);
        return write(new Envelope<>(eventId, fresh.type(), fresh.source(), fresh.time(), fresh.subject(), fresh.specversion(),
                fresh.datacontenttype(), data));
    }

    private RecordMetadata write(Envelope<?> envelope) throws EventWriteException, InterruptedException {
        Future<RecordMetadata> sent;
        try {
            sent = send(envelope, null);
        } catch (InterruptException e) {
            throw new InterruptedException("interrupted while writing " + envelope.type());
        } catch (KafkaException e) {
            // no metadata within max.block.ms, a record over the size limit, a closed producer
            throw new EventWriteException("could not write " + envelope.type() + ": " + e, e);
        }
        return await(sent, envelope.type() + " for " + envelope.subject());
    }

    /** Waits, within the ack timeout, for a send of this writer's producer (an event or a dead letter). */
    public RecordMetadata await(Future<RecordMetadata> send, String what) throws EventWriteException, InterruptedException {
        try {
            return send.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EventWriteException("could not write " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new EventWriteException("could not write " + what + " within " + ackTimeout, e);
        }
    }

    /** Sends what is buffered, then closes the producer (waiting at most the ack timeout). */
    @Override
    public void close() {
        producer.flush();
        producer.close(ackTimeout);
    }
}
