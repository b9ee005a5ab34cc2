package dev.reel.ingest.publish;

import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.ops.IngestMetrics;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes ingest's events and waits for the broker's acknowledgement (the producer has acks=all and idempotence,
 * so its internal retries never duplicate a record). A caller answers its client only after {@link #publish}
 * returned: an upload is never reported done before its event is durable.
 */
public final class EventPublisher implements AutoCloseable {

    private final Producer<String, Envelope<?>> producer;
    private final String source;
    private final Duration timeout;
    private final IngestMetrics metrics;

    public EventPublisher(Producer<String, Envelope<?>> producer, String source, Duration timeout, IngestMetrics metrics) {
        this.producer = producer;
        this.source = source;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /** Publishes a new event with a fresh id. */
    public void publish(EventData data) {
        publish(Envelope.of(source, data));
    }

    /**
     * Publishes an event with a given id: a retry after a crash or a timeout reuses the id, so consumers that
     * dedupe by id apply it once.
     */
    public void publish(String eventId, EventData data) {
        Envelope<EventData> fresh = Envelope.of(source, data);
        publish(new Envelope<>(eventId, fresh.type(), fresh.source(), fresh.time(), fresh.subject(), fresh.specversion(),
                fresh.datacontenttype(), data));
    }

    private void publish(Envelope<?> envelope) {
        long start = System.nanoTime();
        try {
            producer.send(new ProducerRecord<>(Topics.topicFor(envelope.data()), envelope.subject(), envelope))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            metrics.publishTime(Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while publishing " + envelope.type(), e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new PublishException("could not publish " + envelope.type() + " for " + envelope.subject() + ": "
                    + (e instanceof ExecutionException ? e.getCause() : e), e);
        }
    }

    @Override
    public void close() {
        producer.flush();
        producer.close(timeout);
    }

    /** The event log did not take the event in time: the caller answers 503 and keeps what is needed to retry. */
    public static final class PublishException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
