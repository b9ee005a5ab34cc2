package dev.reel.transcoder.ffmpeg;

/**
 * What ffprobe says about an original's audio stream.
 *
 * @param index        the stream's index in the file
 * @param codec        ffprobe's codec name, e.g. {@code aac}
 * @param profile      e.g. {@code LC}, {@code HE-AAC}; empty when the codec has none
 * @param channels     channel count
 * @param sampleRate   samples per second
 * @param bitRate      bits per second as the container states it; 0 when unknown
 * @param startSeconds the first presentation timestamp
 */
public record AudioFacts(int index, String codec, String profile, int channels, int sampleRate, long bitRate,
        double startSeconds) {
}
