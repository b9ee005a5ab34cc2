package dev.reel.transcoder.job;

import dev.reel.events.Envelope;
import dev.reel.events.TranscodeFailed;
import dev.reel.events.VideoUploaded;
import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.publish.EventWriteException;
import dev.reel.events.publish.EventWriter;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.service.storage.StorageException;
import dev.reel.transcoder.ops.TranscoderMetrics;
import dev.reel.transcoder.ops.TranscoderMetrics.Outcome;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does with one delivered {@code video.uploaded} record: transcode it, and decide its fate. A failed
 * attempt is released for another (on any worker) until {@code maxAttempts} deliveries; then the video ends as
 * {@code transcode.failed} with the reason and the record goes to {@code reel.dlq}. A record that is not a valid
 * upload event goes to {@code reel.dlq} at once.
 */
public final class UploadJobs implements JobProcessor {

    private static final Logger log = LoggerFactory.getLogger(UploadJobs.class);
    private static final int MAX_REASON_CHARS = 2_000;

    private final Transcode transcode;
    private final EventWriter events;
    private final DeadLetterPublisher deadLetters;
    private final TranscoderMetrics metrics;
    private final int maxAttempts;
    private final String worker;
    private final EventDeserializer deserializer = new EventDeserializer();

    public UploadJobs(Transcode transcode, EventWriter events, DeadLetterPublisher deadLetters, TranscoderMetrics metrics,
            int maxAttempts, String worker) {
        this.transcode = transcode;
        this.events = events;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.worker = worker;
    }

    @Override
    public AcknowledgeType process(ConsumerRecord<byte[], byte[]> record, int deliveryCount) throws InterruptedException {
        metrics.active().incrementAndGet();
        try {
            return handle(record, deliveryCount);
        } finally {
            metrics.active().decrementAndGet();
        }
    }

    private AcknowledgeType handle(ConsumerRecord<byte[], byte[]> record, int deliveryCount) throws InterruptedException {
        VideoUploaded upload;
        try {
            Envelope<?> envelope = deserializer.deserialize(record.topic(), record.value());
            if (envelope == null || !(envelope.data() instanceof VideoUploaded uploaded)) {
                throw new MalformedEventException(record.topic(), record.value() == null ? new byte[0] : record.value(),
                        "not a video.uploaded event: " + (envelope == null ? "null" : envelope.type()), null);
            }
            upload = uploaded;
        } catch (MalformedEventException e) {
            log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return deadLetter(record, e, Outcome.MALFORMED);
        }
        if (deliveryCount == 1) {
            metrics.queueWait(Duration.between(Instant.ofEpochMilli(record.timestamp()), Instant.now()));
        }
        if (deliveryCount > maxAttempts) {
            // earlier deliveries never reported back: their workers died or lost the lock mid-job
            return giveUp(record, upload, deliveryCount - 1, "gave up after " + (deliveryCount - 1)
                    + " attempts that did not finish (worker stopped or timed out)");
        }
        try {
            Transcode.Result result = transcode.run(upload, deliveryCount);
            metrics.completed(Duration.ofMillis(result.completed().elapsedMillis()), result.mediaSeconds());
            metrics.jobEnded(Outcome.COMPLETED);
            log.info("{} completed in {} ms (attempt {})", upload.videoId(), result.completed().elapsedMillis(), deliveryCount);
            return AcknowledgeType.ACCEPT;
        } catch (InterruptedException e) {
            log.info("{} stopped by shutdown: released for another worker", upload.videoId());
            metrics.jobEnded(Outcome.RELEASED);
            return AcknowledgeType.RELEASE;
        } catch (Exception e) {
            String reason = reason(e);
            if (deliveryCount < maxAttempts) {
                log.warn("{} attempt {} of {} failed, released for another: {}", upload.videoId(), deliveryCount, maxAttempts,
                        reason);
                metrics.jobEnded(Outcome.RETRIED);
                return AcknowledgeType.RELEASE;
            }
            return giveUp(record, upload, deliveryCount, reason);
        }
    }

    private AcknowledgeType giveUp(ConsumerRecord<byte[], byte[]> record, VideoUploaded upload, int attempts, String reason)
            throws InterruptedException {
        log.warn("{} failed after {} attempt(s): {}", upload.videoId(), attempts, reason);
        try {
            // No half ladder stays behind a failed video: whatever the attempts stored goes before the failure is told.
            int deleted = transcode.discardMedia(upload.videoId());
            log.info("{}: deleted {} media object(s) of the failed transcode", upload.videoId(), deleted);
        } catch (StorageException e) {
            log.warn("could not delete the media of failed {}, releasing to retry: {}", upload.videoId(), e.toString());
            return AcknowledgeType.RELEASE;
        }
        try {
            events.publish(new TranscodeFailed(upload.videoId(), worker, Math.max(1, attempts), reason));
        } catch (EventWriteException e) {
            log.warn("could not write transcode.failed for {}, releasing to retry the report: {}", upload.videoId(),
                    e.toString());
            return AcknowledgeType.RELEASE;
        }
        return deadLetter(record, new IllegalStateException("transcode failed after " + attempts + " attempt(s): " + reason),
                Outcome.FAILED);
    }

    /** The record is dropped (REJECT) only once its dead-letter copy is acknowledged; else it comes back. */
    private AcknowledgeType deadLetter(ConsumerRecord<byte[], byte[]> record, Exception error, Outcome outcome)
            throws InterruptedException {
        try {
            events.await(deadLetters.send(record, error), "the dead letter");
            metrics.jobEnded(outcome);
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
