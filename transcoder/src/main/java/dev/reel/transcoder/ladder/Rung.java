package dev.reel.transcoder.ladder;

/**
 * One row of the bitrate table.
 *
 * @param name         rendition name, part of object keys ({@code 240p} ... {@code 1080p})
 * @param shortSide    pixels of the shorter side
 * @param videoKbps    target video bit rate; the encoder's peak is capped at {@link #maxrateKbps()}
 * @param profile      H.264 profile: baseline for the lowest rung (old and small devices), main, high
 */
public record Rung(String name, int shortSide, int videoKbps, String profile) {

    /** VBV peak: 10% over the target, the usual capped-VBR setting for streaming. */
    public int maxrateKbps() {
        return videoKbps * 11 / 10;
    }

    /** VBV buffer: two seconds of the target rate. */
    public int bufsizeKbps() {
        return videoKbps * 2;
    }
}
