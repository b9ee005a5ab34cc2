package dev.reel.transcoder.ffmpeg;

/**
 * A stream's time base, {@code num/den} seconds per tick, and exact conversions of its timestamps: cut points are kept
 * in the source's own ticks, so that deciding where ffmpeg's HLS muxer cuts, and telling ffmpeg where to cut, never
 * rounds a keyframe onto the wrong side of a boundary.
 *
 * @param num numerator, positive
 * @param den denominator, positive
 */
public record TimeBase(long num, long den) {

    public TimeBase {
        if (num <= 0 || den <= 0) {
            throw new IllegalArgumentException("a time base must be positive, was " + num + "/" + den);
        }
    }

    /** Parses ffprobe's {@code 1/15360}. */
    public static TimeBase parse(String text) {
        String[] parts = text.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a time base: " + text);
        }
        return new TimeBase(Long.parseLong(parts[0].strip()), Long.parseLong(parts[1].strip()));
    }

    public double seconds(long ticks) {
        return (double) ticks * num / den;
    }

    /**
     * The timestamp in whole microseconds, rounded down: given to ffmpeg as a start ({@code -ss}) or a forced keyframe,
     * the frame at exactly {@code ticks} is at or after it, and the frame before is well before it (frames are
     * milliseconds apart).
     */
    public long floorMicros(long ticks) {
        return Math.floorDiv(Math.multiplyExact(ticks, num * 1_000_000), den);
    }

    /** Whether {@code ticks} is at least {@code micros} microseconds (exact, as ffmpeg's {@code av_compare_ts}). */
    public boolean atLeastMicros(long ticks, long micros) {
        return Math.multiplyExact(ticks, num * 1_000_000) >= Math.multiplyExact(micros, den);
    }

    /** {@code ticks} of this time base in ticks of a {@code timescale}-per-second clock, rounded to the nearest. */
    public long rescale(long ticks, long timescale) {
        return Math.round((double) ticks * num * timescale / den);
    }
}
