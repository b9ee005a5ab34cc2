package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.nullOrNonBlank;
import static dev.reel.events.Checks.positive;
import static dev.reel.events.Checks.sha256Hex;

/**
 * What ingest learned about a video's original; the fields of {@link VideoUploaded} that describe the file.
 *
 * @param sizeBytes       size of the original in bytes
 * @param sha256          SHA-256 of the original, 64 lower-case hex digits
 * @param durationSeconds duration as probed
 * @param width           width of the video stream in pixels
 * @param height          height of the video stream in pixels
 * @param videoCodec      ffprobe codec name of the video stream
 * @param audioCodec      ffprobe codec name of the audio stream, or {@code null} if there is no audio
 * @param objectKey       object key of the original
 * @param filename        the file name the client sent, or {@code null}
 */
public record SourceFacts(
        long sizeBytes,
        String sha256,
        double durationSeconds,
        int width,
        int height,
        String videoCodec,
        String audioCodec,
        String objectKey,
        String filename) {

    public SourceFacts {
        nonNegative(sizeBytes, "sizeBytes");
        sha256Hex(sha256, "sha256");
        positive(durationSeconds, "durationSeconds");
        positive(width, "width");
        positive(height, "height");
        nonBlank(videoCodec, "videoCodec");
        nullOrNonBlank(audioCodec, "audioCodec");
        nonBlank(objectKey, "objectKey");
    }

    /** The source facts an upload event carries. */
    public static SourceFacts from(VideoUploaded uploaded) {
        return new SourceFacts(uploaded.sizeBytes(), uploaded.sha256(), uploaded.durationSeconds(),
                uploaded.width(), uploaded.height(), uploaded.videoCodec(), uploaded.audioCodec(),
                uploaded.objectKey(), uploaded.filename());
    }
}
