package dev.reel.transcoder.ffmpeg;

/**
 * One block of ffmpeg's {@code -progress} output.
 *
 * @param outTimeSeconds how much of the output has been encoded, in media time
 * @param speed          ffmpeg's speed, a multiple of real time (0 when ffmpeg does not know yet)
 * @param ended          whether this is the last block ({@code progress=end})
 */
public record Progress(double outTimeSeconds, double speed, boolean ended) {

    /** Percent of a source of {@code durationSeconds}, between 0 and 100. */
    public double percentOf(double durationSeconds) {
        return Math.max(0, Math.min(100, 100 * outTimeSeconds / durationSeconds));
    }
}
