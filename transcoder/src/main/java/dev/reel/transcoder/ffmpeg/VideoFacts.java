package dev.reel.transcoder.ffmpeg;

/**
 * What ffprobe says about an original's video stream, as the passthrough decision needs it.
 *
 * @param index        the stream's index in the file (for {@code -map 0:<index>})
 * @param codec        ffprobe's codec name, e.g. {@code h264}
 * @param profile      ffprobe's profile name, e.g. {@code High}, {@code Constrained Baseline}, {@code High 10}
 * @param level        {@code level_idc}, e.g. 40 for 4.0; 0 when unknown
 * @param pixelFormat  e.g. {@code yuv420p}
 * @param fieldOrder   {@code progressive}, an interlaced order ({@code tt}, {@code bb}, ...) or {@code unknown}
 * @param rotation     the display rotation in degrees (0 when none)
 * @param sampleAspect the sample aspect ratio (1 for square pixels)
 * @param timeBase     the stream's time base
 * @param startSeconds the first presentation timestamp
 */
public record VideoFacts(int index, String codec, String profile, int level, String pixelFormat, String fieldOrder,
        int rotation, double sampleAspect, TimeBase timeBase, double startSeconds) {
}
