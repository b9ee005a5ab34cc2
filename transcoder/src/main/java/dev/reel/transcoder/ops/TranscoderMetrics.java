package dev.reel.transcoder.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's own meters (Prometheus names), each tagged with the {@code kind} of job ({@code upload}: probe, plan,
 * passthrough; {@code chunk}: a chunk task): {@code reel_transcoder_jobs_total{kind,outcome}},
 * {@code reel_transcoder_queue_wait_seconds{kind}}, {@code reel_transcoder_job_duration_seconds{kind}},
 * {@code reel_transcoder_encode_speed{kind}} (media seconds per wall-clock second), {@code reel_transcoder_jobs_active{kind}};
 * and {@code reel_transcoder_bytes_written_total}, {@code reel_transcoder_assembled_total{event}} (what the assembler
 * published: {@code growing}, {@code complete}, {@code completed}, {@code failed}).
 */
public final class TranscoderMetrics {

    /** What a job is, the {@code kind} tag. */
    public enum Kind {
        /** a {@code video.uploaded}: probe, plan, request the chunk tasks, copy the passthrough */
        UPLOAD,
        /** a {@code chunk.requested}: encode a chunk of the ladder, or the audio */
        CHUNK
    }

    /** How an attempt ended, the {@code outcome} tag. */
    public enum Outcome {
        /** done */
        COMPLETED,
        /** failed, released for another attempt */
        RETRIED,
        /** given up: transcode.failed and a dead letter written */
        FAILED,
        /** not a valid event of its kind: dead-lettered */
        MALFORMED,
        /** stopped by shutdown and released for another worker */
        RELEASED
    }

    private final MeterRegistry registry;
    private final Map<Kind, Timer> queueWait = new EnumMap<>(Kind.class);
    private final Map<Kind, Timer> jobDuration = new EnumMap<>(Kind.class);
    private final Map<Kind, DistributionSummary> encodeSpeed = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicInteger> active = new EnumMap<>(Kind.class);
    private final Counter bytesWritten;

    public TranscoderMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Kind kind : Kind.values()) {
            String tag = tag(kind);
            queueWait.put(kind, Timer.builder("reel.transcoder.queue.wait").tag("kind", tag)
                    .description("time from the event to a worker starting the job").register(registry));
            jobDuration.put(kind, Timer.builder("reel.transcoder.job.duration").tag("kind", tag)
                    .description("wall-clock time of a successful job").register(registry));
            encodeSpeed.put(kind, DistributionSummary.builder("reel.transcoder.encode.speed").tag("kind", tag)
                    .description("media seconds transcoded per wall-clock second (multiple of real time)").register(registry));
            active.put(kind, registry.gauge("reel.transcoder.jobs.active", List.of(Tag.of("kind", tag)), new AtomicInteger()));
            for (Outcome outcome : Outcome.values()) {
                jobs(kind, outcome); // every outcome shows, at 0, from the start
            }
        }
        this.bytesWritten = Counter.builder("reel.transcoder.bytes.written").baseUnit("bytes")
                .description("bytes stored in object storage").register(registry);
    }

    public void jobEnded(Kind kind, Outcome outcome) {
        jobs(kind, outcome).increment();
    }

    public void queueWait(Kind kind, Duration wait) {
        queueWait.get(kind).record(wait.isNegative() ? Duration.ZERO : wait);
    }

    public void completed(Kind kind, Duration elapsed, double mediaSeconds) {
        jobDuration.get(kind).record(elapsed);
        double seconds = elapsed.toNanos() / 1e9;
        if (seconds > 0 && mediaSeconds > 0) {
            encodeSpeed.get(kind).record(mediaSeconds / seconds);
        }
    }

    public void bytesWritten(long bytes) {
        bytesWritten.increment(bytes);
    }

    public AtomicInteger active(Kind kind) {
        return active.get(kind);
    }

    /** The assembler published something: {@code growing}, {@code complete}, {@code completed} or {@code failed}. */
    public void assembled(String event) {
        Counter.builder("reel.transcoder.assembled").tag("event", event)
                .description("renditions and ladders the assembler published").register(registry).increment();
    }

    /** Where a plan took an original's streams from: {@code ingest} (the probe it stored) or {@code ffprobe} (its own). */
    public void streamsRead(String from) {
        Counter.builder("reel.transcoder.streams.read").tag("from", from)
                .description("originals' streams read to plan them: from the ingest's stored probe, or by an ffprobe")
                .register(registry).increment();
    }

    private Counter jobs(Kind kind, Outcome outcome) {
        return Counter.builder("reel.transcoder.jobs").tag("kind", tag(kind))
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .description("jobs by kind and outcome").register(registry);
    }

    private static String tag(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
