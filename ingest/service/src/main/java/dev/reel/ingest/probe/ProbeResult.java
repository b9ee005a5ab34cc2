package dev.reel.ingest.probe;

/** The verdict on an original: playable with its facts, or rejected with the status and reason the client gets. */
public sealed interface ProbeResult {

    /** {@code json}: ffprobe's whole answer ({@code -show_streams -show_format}), kept for the transcoder. */
    record Playable(VideoFacts facts, String json) implements ProbeResult {
    }

    /** {@code status} is 415 (not media at all) or 422 (media, but not a playable video). */
    record Rejected(int status, String reason) implements ProbeResult {
    }
}
