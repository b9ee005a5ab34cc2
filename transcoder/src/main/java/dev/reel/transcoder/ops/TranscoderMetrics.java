package dev.reel.transcoder.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's own meters (Prometheus names): {@code reel_transcoder_jobs_total{outcome}},
 * {@code reel_transcoder_queue_wait_seconds}, {@code reel_transcoder_job_duration_seconds},
 * {@code reel_transcoder_encode_speed} (media seconds per wall-clock second), {@code reel_transcoder_bytes_written_total},
 * {@code reel_transcoder_jobs_active}.
 */
public final class TranscoderMetrics {

    /** How an attempt ended, the {@code outcome} tag. */
    public enum Outcome {
        /** transcode.completed written */
        COMPLETED,
        /** failed, released for another attempt */
        RETRIED,
        /** given up: transcode.failed and a dead letter written */
        FAILED,
        /** not a valid upload event: dead-lettered */
        MALFORMED,
        /** stopped by shutdown and released for another worker */
        RELEASED
    }

    private final MeterRegistry registry;
    private final Timer queueWait;
    private final Timer jobDuration;
    private final DistributionSummary encodeSpeed;
    private final Counter bytesWritten;
    private final AtomicInteger active = new AtomicInteger();

    public TranscoderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.queueWait = Timer.builder("reel.transcoder.queue.wait")
                .description("time from upload event to a worker starting the job").register(registry);
        this.jobDuration = Timer.builder("reel.transcoder.job.duration")
                .description("wall-clock time of a successful job, take to transcode.completed").register(registry);
        this.encodeSpeed = DistributionSummary.builder("reel.transcoder.encode.speed")
                .description("media seconds transcoded per wall-clock second (multiple of real time)").register(registry);
        this.bytesWritten = Counter.builder("reel.transcoder.bytes.written").baseUnit("bytes")
                .description("bytes stored in object storage").register(registry);
        registry.gauge("reel.transcoder.jobs.active", active);
        for (Outcome outcome : Outcome.values()) {
            jobs(outcome); // every outcome shows, at 0, from the start
        }
    }

    public void jobEnded(Outcome outcome) {
        jobs(outcome).increment();
    }

    public void queueWait(Duration wait) {
        queueWait.record(wait.isNegative() ? Duration.ZERO : wait);
    }

    public void completed(Duration elapsed, double mediaSeconds) {
        jobDuration.record(elapsed);
        double seconds = elapsed.toNanos() / 1e9;
        if (seconds > 0) {
            encodeSpeed.record(mediaSeconds / seconds);
        }
    }

    public void bytesWritten(long bytes) {
        bytesWritten.increment(bytes);
    }

    public AtomicInteger active() {
        return active;
    }

    private Counter jobs(Outcome outcome) {
        return Counter.builder("reel.transcoder.jobs").tag("outcome", outcome.name().toLowerCase())
                .description("jobs by outcome").register(registry);
    }
}
