package dev.reel.ingest.upload;

import dev.reel.events.VideoUploaded;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.publish.EventWriteException;
import dev.reel.events.publish.EventWriter;
import dev.reel.ingest.ops.IngestMetrics;
import dev.reel.ingest.probe.Ffprobe;
import dev.reel.ingest.probe.ProbeResult;
import dev.reel.ingest.probe.VideoFacts;
import dev.reel.service.http.ApiException;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate between stored bytes and the pipeline: probes a complete original where it is stored and, only when it
 * is a playable video, stores ffprobe's answer beside it (the transcoder plans from it instead of probing again, one
 * process fewer between the last byte and the first picture) and publishes {@code video.uploaded}. A rejected original
 * is deleted, so bad input leaves no object and no event behind.
 */
public final class VideoAcceptance {

    private static final Logger log = LoggerFactory.getLogger(VideoAcceptance.class);
    /** How long ffprobe may read the original by its presigned URL: no credentials and no local copy needed. */
    private static final Duration PROBE_URL_VALIDITY = Duration.ofMinutes(15);

    private final ObjectStorage storage;
    private final Ffprobe ffprobe;
    private final EventWriter events;
    private final IngestMetrics metrics;

    /** A complete original waiting for its verdict. */
    public record Candidate(String videoId, String owner, VideoDetails details, long sizeBytes, String sha256,
            long lastByteNanos) {
    }

    public VideoAcceptance(ObjectStorage storage, Ffprobe ffprobe, EventWriter events, IngestMetrics metrics) {
        this.storage = storage;
        this.ffprobe = ffprobe;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Probes the original; when it is not a playable video deletes it and throws.
     *
     * @throws ApiException 415 or 422 with ffprobe's reason; the original is gone
     */
    public VideoUploaded probe(Candidate candidate) throws StorageException {
        String key = ObjectKeys.original(candidate.videoId());
        long start = System.nanoTime();
        ProbeResult result = ffprobe.probe(storage.presignedGet(key, PROBE_URL_VALIDITY));
        metrics.probeTime(Duration.ofNanos(System.nanoTime() - start));
        return switch (result) {
            case ProbeResult.Rejected rejected -> {
                storage.delete(key);
                log.info("rejected upload {} of {} ({} bytes): {} {}", candidate.videoId(), candidate.owner(),
                        candidate.sizeBytes(),
                        rejected.status(), rejected.reason());
                throw new ApiException(rejected.status(), rejected.reason());
            }
            case ProbeResult.Playable playable -> {
                storage.put(ObjectKeys.originalProbe(candidate.videoId()), playable.json().getBytes(StandardCharsets.UTF_8),
                        "application/json");
                yield event(candidate, playable.facts(), key);
            }
        };
    }

    /**
     * Publishes the event and waits for the broker's acknowledgement.
     *
     * @throws EventWriteException when the event log did not take it in time
     */
    public void publish(Candidate candidate, String eventId, VideoUploaded event)
            throws EventWriteException, InterruptedException {
        metrics.timePublish(() -> events.publish(eventId, event));
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
