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
 */
public record EncoderSettings(String ffmpeg, String ffprobe, String preset, int threads, int segmentSeconds, double readRate) {

    public EncoderSettings {
        if (segmentSeconds <= 0) {
            throw new IllegalArgumentException("segmentSeconds must be positive");
        }
    }
}
