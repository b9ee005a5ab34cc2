package dev.reel.ingest.upload;

import dev.reel.events.VideoUploaded;
import dev.reel.ingest.http.ApiException;
import dev.reel.ingest.ops.IngestMetrics;
import dev.reel.ingest.probe.Ffprobe;
import dev.reel.ingest.probe.ProbeResult;
import dev.reel.ingest.probe.VideoFacts;
import dev.reel.ingest.publish.EventPublisher;
import dev.reel.ingest.storage.ObjectKeys;
import dev.reel.ingest.storage.ObjectStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate between stored bytes and the pipeline: probes a complete original where it is stored and, only when it
 * is a playable video, publishes {@code video.uploaded}. A rejected original is deleted, so bad input leaves no
 * object and no event behind.
 */
public final class VideoAcceptance {

    private static final Logger log = LoggerFactory.getLogger(VideoAcceptance.class);

    private final ObjectStore store;
    private final Ffprobe ffprobe;
    private final EventPublisher publisher;
    private final IngestMetrics metrics;

    /** A complete original waiting for its verdict. */
    public record Candidate(String videoId, String owner, VideoDetails details, long sizeBytes, String sha256,
            long lastByteNanos) {
    }

    public VideoAcceptance(ObjectStore store, Ffprobe ffprobe, EventPublisher publisher, IngestMetrics metrics) {
        this.store = store;
        this.ffprobe = ffprobe;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /**
     * Probes the original; when it is not a playable video deletes it and throws.
     *
     * @throws ApiException 415 or 422 with ffprobe's reason; the original is gone
     */
    public VideoUploaded probe(Candidate candidate) {
        String key = ObjectKeys.original(candidate.videoId());
        long start = System.nanoTime();
        ProbeResult result = ffprobe.probe(store.presignedGet(key));
        metrics.probeTime(Duration.ofNanos(System.nanoTime() - start));
        return switch (result) {
            case ProbeResult.Rejected rejected -> {
                store.delete(key);
                log.info("rejected upload {} of {} ({} bytes): {} {}", candidate.videoId(), candidate.owner(),
                        candidate.sizeBytes(),
                        rejected.status(), rejected.reason());
                throw new ApiException(rejected.status(), rejected.reason());
            }
            case ProbeResult.Playable playable -> event(candidate, playable.facts(), key);
        };
    }

    /**
     * Publishes the event and waits for the broker's acknowledgement.
     *
     * @throws EventPublisher.PublishException when the event log did not take it in time
     */
    public void publish(Candidate candidate, String eventId, VideoUploaded event) {
        publisher.publish(eventId, event);
        metrics.lastByteToEvent(Duration.ofNanos(System.nanoTime() - candidate.lastByteNanos()));
        metrics.upload("accepted");
        log.info("accepted {} from {}: {} bytes, {} s, {}x{} {}/{}", event.videoId(), event.owner(), event.sizeBytes(),
                event.durationSeconds(), event.width(), event.height(), event.videoCodec(), event.audioCodec());
    }

    private static VideoUploaded event(Candidate candidate, VideoFacts facts, String key) {
        VideoDetails details = candidate.details();
        return new VideoUploaded(candidate.videoId(), details.title(),
                details.description() == null || details.description().isEmpty()
                        ? null
                        : details.description(),
                candidate.owner(), details.visibility(), details.filename(), candidate.sizeBytes(),
                candidate.sha256(), facts.durationSeconds(), facts.width(), facts.height(), facts.videoCodec(),
                facts.audioCodec(), key);
    }
}
