package dev.reel.transcoder.job;

import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.TranscodeFailed;
import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.publish.EventWriteException;
import dev.reel.events.publish.EventWriter;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import dev.reel.transcoder.ops.TranscoderMetrics;
import dev.reel.transcoder.ops.TranscoderMetrics.Kind;
import dev.reel.transcoder.ops.TranscoderMetrics.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does with one delivered job record, an upload or a chunk task: do the work, and decide the record's
 * fate. A failed attempt is released for another (on any worker) until {@code maxAttempts} deliveries; then the
 * video ends as {@code transcode.failed} with the reason and the record goes to {@code reel.dlq}. A record that is not
 * a valid event of the expected type goes to {@code reel.dlq} at once.
 *
 * @param <T> the event a record must carry
 */
public final class EventJobs<T extends EventData> implements JobProcessor {

    private static final Logger log = LoggerFactory.getLogger(EventJobs.class);
    private static final int MAX_REASON_CHARS = 2_000;

    /** The work itself. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * @param attempt 1 on the first delivery
         * @return what was done, for the metrics
         * @throws InterruptedException when the worker is stopping: the record is released
         * @throws Exception            the attempt failed
         */
        Done run(T event, int attempt) throws Exception;
    }

    /**
     * A successful attempt.
     *
     * @param elapsed      its wall-clock time
     * @param mediaSeconds how much media it made (for the speed metric)
     */
    public record Done(Duration elapsed, double mediaSeconds) {
    }

    private final Class<T> type;
    private final Kind kind;
    private final Work<T> work;
    private final EventWriter events;
    private final ObjectStorage storage;
    private final DeadLetterPublisher deadLetters;
    private final TranscoderMetrics metrics;
    private final int maxAttempts;
    private final String worker;
    private final EventDeserializer deserializer = new EventDeserializer();

    /** @param storage where a video that failed for good has its media deleted */
    public EventJobs(Class<T> type, Kind kind, Work<T> work, EventWriter events, ObjectStorage storage,
            DeadLetterPublisher deadLetters, TranscoderMetrics metrics, int maxAttempts, String worker) {
        this.type = type;
        this.kind = kind;
        this.work = work;
        this.events = events;
        this.storage = storage;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.worker = worker;
    }

    @Override
    public AcknowledgeType process(ConsumerRecord<byte[], byte[]> record, int deliveryCount) throws InterruptedException {
        metrics.active(kind).incrementAndGet();
        try {
            return handle(record, deliveryCount);
        } finally {
            metrics.active(kind).decrementAndGet();
        }
    }

    private AcknowledgeType handle(ConsumerRecord<byte[], byte[]> record, int deliveryCount) throws InterruptedException {
        T event;
        try {
            Envelope<?> envelope = deserializer.deserialize(record.topic(), record.value());
            if (envelope == null || !type.isInstance(envelope.data())) {
                throw new MalformedEventException(record.topic(), record.value() == null ? new byte[0] : record.value(),
                        "not a " + type.getSimpleName() + " event: " + (envelope == null ? "null" : envelope.type()), null);
            }
            event = type.cast(envelope.data());
        } catch (MalformedEventException e) {
            log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return deadLetter(record, e, Outcome.MALFORMED);
        }
        String what = kind.name().toLowerCase(Locale.ROOT) + " of " + event.videoId();
        if (deliveryCount == 1) {
            metrics.queueWait(kind, Duration.between(Instant.ofEpochMilli(record.timestamp()), Instant.now()));
        }
        if (deliveryCount > maxAttempts) {
            // earlier deliveries never reported back: their workers died or lost the lock mid-job
            return giveUp(record, event, deliveryCount - 1, "gave up after " + (deliveryCount - 1)
                    + " attempts that did not finish (worker stopped or timed out)");
        }
        try {
            Done done = work.run(event, deliveryCount);
            metrics.completed(kind, done.elapsed(), done.mediaSeconds());
            metrics.jobEnded(kind, Outcome.COMPLETED);
            log.info("{} done in {} ms (attempt {})", what, done.elapsed().toMillis(), deliveryCount);
            return AcknowledgeType.ACCEPT;
        } catch (InterruptedException e) {
            log.info("{} stopped by shutdown: released for another worker", what);
            metrics.jobEnded(kind, Outcome.RELEASED);
            return AcknowledgeType.RELEASE;
        } catch (Exception e) {
            String reason = reason(e);
            if (deliveryCount < maxAttempts) {
                log.warn("{} attempt {} of {} failed, released for another: {}", what, deliveryCount, maxAttempts, reason);
                metrics.jobEnded(kind, Outcome.RETRIED);
                return AcknowledgeType.RELEASE;
            }
            return giveUp(record, event, deliveryCount, reason);
        }
    }

    private AcknowledgeType giveUp(ConsumerRecord<byte[], byte[]> record, T event, int attempts, String reason)
            throws InterruptedException {
        log.warn("{} of {} failed after {} attempt(s): {}", kind.name().toLowerCase(Locale.ROOT), event.videoId(),
                attempts, reason);
        try {
            // No half ladder stays behind a failed video: whatever the attempts stored goes before the failure is told.
            int deleted = storage.deletePrefix(ObjectKeys.mediaPrefix(event.videoId()));
            log.info("{}: deleted {} media object(s) of the failed transcode", event.videoId(), deleted);
        } catch (StorageException e) {
            log.warn("could not delete the media of failed {}, releasing to retry: {}", event.videoId(), e.toString());
            return AcknowledgeType.RELEASE;
        }
        try {
            events.publish(new TranscodeFailed(event.videoId(), worker, Math.max(1, attempts), reason));
        } catch (EventWriteException e) {
            log.warn("could not write transcode.failed for {}, releasing to retry the report: {}", event.videoId(),
                    e.toString());
            return AcknowledgeType.RELEASE;
        }
        return deadLetter(record, new IllegalStateException("transcode failed after " + attempts + " attempt(s) of the "
                + kind.name().toLowerCase(Locale.ROOT) + " job: " + reason), Outcome.FAILED);
    }

    /** The record is dropped (REJECT) only once its dead-letter copy is acknowledged; else it comes back. */
    private AcknowledgeType deadLetter(ConsumerRecord<byte[], byte[]> record, Exception error, Outcome outcome)
            throws InterruptedException {
        try {
            events.await(deadLetters.send(record, error), "the dead letter");
            metrics.jobEnded(kind, outcome);
            return AcknowledgeType.REJECT;
        } catch (EventWriteException e) {
            log.warn("could not dead-letter {}-{}@{}, releasing it: {}", record.topic(), record.partition(), record.offset(),
                    e.toString());
            return AcknowledgeType.RELEASE;
        }
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() <= MAX_REASON_CHARS ? message : message.substring(0, MAX_REASON_CHARS - 3) + "...";
    }
}
