package dev.reel.transcoder.ladder;

/**
 * A rendition chosen for one source: the rung, the exact output size and the H.264 level that fits it.
 *
 * @param rung      the bitrate table row
 * @param width     output width, even
 * @param height    output height, even
 * @param frameRate output frames per second
 * @param level     H.264 level, e.g. {@code 3.1}
 */
public record PlannedRendition(Rung rung, int width, int height, double frameRate, H264Level level) {

    public String name() {
        return rung.name();
    }
}
