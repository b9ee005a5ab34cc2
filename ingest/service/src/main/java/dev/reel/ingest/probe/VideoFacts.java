package dev.reel.ingest.probe;

/** What ffprobe found in a playable original. {@code audioCodec} is {@code null} when there is no audio. */
public record VideoFacts(double durationSeconds, int width, int height, String videoCodec, String audioCodec) {
}
