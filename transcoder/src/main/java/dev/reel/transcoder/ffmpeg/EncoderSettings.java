package dev.reel.transcoder.ffmpeg;

/**
 * How ffmpeg is run.
 *
 * @param ffmpeg         the ffmpeg executable
 * @param ffprobe        the ffprobe executable
 * @param preset         the x264 preset: speed against size
 * @param threads        ffmpeg's {@code -threads}; 0 lets ffmpeg choose (one per core)
 * @param segmentSeconds HLS segment length, which is also the keyframe interval of every rendition
 * @param readRate       ffmpeg's {@code -readrate}: 0 reads as fast as possible, 1 at real time (caps a worker's
 *                       burst on a shared machine; tests use it to make a job last)
 * @param nice           the niceness chunk encodes run at (0: as the worker); a copy or probe of an upload, which a
 *                       viewer is waiting for, is never slowed down by them
 */
public record EncoderSettings(String ffmpeg, String ffprobe, String preset, int threads, int segmentSeconds, double readRate,
        int nice) {

    public EncoderSettings {
        if (segmentSeconds <= 0) {
            throw new IllegalArgumentException("segmentSeconds must be positive");
        }
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice must be 0 to 19");
        }
    }

    /** The settings of the single-process tools and tests: no niceness. */
    public EncoderSettings(String ffmpeg, String ffprobe, String preset, int threads, int segmentSeconds, double readRate) {
        this(ffmpeg, ffprobe, preset, threads, segmentSeconds, readRate, 0);
    }
}
