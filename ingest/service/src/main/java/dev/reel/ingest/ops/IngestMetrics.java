package dev.reel.ingest.ops;

import dev.reel.events.publish.EventWriteException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Ingest's own meters (Prometheus names): {@code reel_ingest_bytes_received_total},
 * {@code reel_ingest_uploads_total{outcome}}, {@code reel_ingest_caption_requests_total{outcome}},
 * {@code reel_ingest_probe_seconds},
 * {@code reel_ingest_publish_seconds} (send to broker ack) and {@code reel_ingest_last_byte_to_event_seconds}
 * (last byte received to event acknowledged: assembly, probe and publish).
 */
public final class IngestMetrics {

    /** One event write that waits for the broker's acknowledgement. */
    @FunctionalInterface
    public interface EventWrite {
        void run() throws EventWriteException, InterruptedException;
    }

    private final MeterRegistry registry;
    private final Counter bytesReceived;
    private final Timer probe;
    private final Timer publish;
    private final Timer lastByteToEvent;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytesReceived = Counter.builder("reel.ingest.bytes.received").description("upload bytes read from clients")
                .baseUnit("bytes").register(registry);
        this.probe = timer("reel.ingest.probe", "ffprobe run on an original");
        this.publish = timer("reel.ingest.publish", "event send until the broker acknowledged it (acks=all)");
        this.lastByteToEvent = timer("reel.ingest.last.byte.to.event",
                "last upload byte received until video.uploaded is acknowledged");
    }

    public void bytesReceived(long bytes) {
        bytesReceived.increment(bytes);
    }

    /** Counts a finished upload: accepted, or the reason it ended (rejected, too_large, expired, terminated, failed). */
    public void upload(String outcome) {
        registry.counter("reel.ingest.uploads", "outcome", outcome).increment();
    }

    /** Counts a caption request: {@code set}, {@code removed}, or {@code refused} (a bad file or request). */
    public void captions(String outcome) {
        registry.counter("reel.ingest.caption.requests", "outcome", outcome).increment();
    }

    public void probeTime(Duration duration) {
        probe.record(duration);
    }

    /** Runs an event write; when it was acknowledged, records how long that took. */
    public void timePublish(EventWrite write) throws EventWriteException, InterruptedException {
        long start = System.nanoTime();
        write.run();
        publish.record(Duration.ofNanos(System.nanoTime() - start));
    }

    public void lastByteToEvent(Duration duration) {
        lastByteToEvent.record(duration);
    }

    private Timer timer(String name, String description) {
        return Timer.builder(name).description(description).publishPercentiles(0.5, 0.99).register(registry);
    }
}
