package dev.reel.transcoder.ffmpeg;

/**
 * What the transcoder needs to know about an original, as probed.
 *
 * @param width           displayed width in pixels (after sample aspect ratio and rotation)
 * @param height          displayed height in pixels
 * @param frameRate       average frames per second
 * @param hasAudio        whether there is an audio stream to encode
 * @param durationSeconds duration of the whole file
 */
public record SourceInfo(int width, int height, double frameRate, boolean hasAudio, double durationSeconds) {

    public SourceInfo {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a source needs a positive size, was " + width + "x" + height);
        }
        if (!(frameRate > 0) || !(durationSeconds > 0)) {
            throw new IllegalArgumentException("a source needs a positive frame rate and duration");
        }
    }

    /** The shorter side: what a rendition's name counts (a 1280x720 and a 720x1280 video are both 720p). */
    public int shortSide() {
        return Math.min(width, height);
    }

    public boolean portrait() {
        return height > width;
    }
}
