package dev.reel.transcoder.publish;

import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.topics.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes the transcoder's events to {@code reel.transcode}, keyed by video id so a video's events stay in order.
 * The producer is shared by all jobs (it is thread-safe) and owned by the caller.
 */
public final class EventPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<byte[], byte[]> producer;
    private final String source;
    private final EventSerializer serializer = new EventSerializer();

    public EventPublisher(Producer<byte[], byte[]> producer, String source) {
        this.producer = producer;
        this.source = source;
    }

    /** Sends without waiting: for progress, where a lost update is replaced by the next one. */
    public Future<RecordMetadata> send(EventData data) {
        Envelope<EventData> envelope = Envelope.of(source, data);
        String topic = Topics.topicFor(data);
        return producer.send(new ProducerRecord<>(topic, data.videoId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                serializer.serialize(topic, envelope)));
    }

    /** Sends and waits until every in-sync replica has the event: for facts the job must not acknowledge before. */
    public void publish(EventData data) throws IOException, InterruptedException {
        await(send(data), data.getClass().getSimpleName());
    }

    /** Waits for a send (e.g. a dead letter) to be acknowledged. */
    public static void await(Future<RecordMetadata> send, String what) throws IOException, InterruptedException {
        try {
            send.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("could not write " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("could not write " + what + " within " + ACK_TIMEOUT, e);
        }
    }
}
