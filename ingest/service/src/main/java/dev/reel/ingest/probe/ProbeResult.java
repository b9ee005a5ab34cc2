package dev.reel.ingest.probe;

/** The verdict on an original: playable with its facts, or rejected with the status and reason the client gets. */
public sealed interface ProbeResult {

    record Playable(VideoFacts facts) implements ProbeResult {
    }

    /** {@code status} is 415 (not media at all) or 422 (media, but not a playable video). */
    record Rejected(int status, String reason) implements ProbeResult {
    }
}
