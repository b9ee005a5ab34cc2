package dev.reel.transcoder.ladder;

import java.util.List;

/**
 * The H.264 levels (ITU-T H.264 Table A-1): the smallest one whose limits a rendition fits is what the encoder is
 * told, so a player knows from the CODECS attribute whether it can decode the stream.
 *
 * @param name           e.g. {@code 3.1}
 * @param idc            level_idc as written in the avcC box, e.g. 31
 * @param maxMacroblocksPerSecond MaxMBPS
 * @param maxFrameMacroblocks     MaxFS
 * @param maxKbps        MaxBR for baseline/main (high allows 1.25 times as much)
 */
public record H264Level(String name, int idc, long maxMacroblocksPerSecond, int maxFrameMacroblocks, int maxKbps) {

    private static final List<H264Level> LEVELS = List.of(
            new H264Level("2.1", 21, 19_800, 792, 4_000),
            new H264Level("2.2", 22, 20_250, 1_620, 4_000),
            new H264Level("3.0", 30, 40_500, 1_620, 10_000),
            new H264Level("3.1", 31, 108_000, 3_600, 14_000),
            new H264Level("3.2", 32, 216_000, 5_120, 20_000),
            new H264Level("4.0", 40, 245_760, 8_192, 20_000),
            new H264Level("4.1", 41, 245_760, 8_192, 50_000),
            new H264Level("4.2", 42, 522_240, 8_704, 50_000),
            new H264Level("5.0", 50, 589_824, 22_080, 135_000),
            new H264Level("5.1", 51, 983_040, 36_864, 240_000),
            new H264Level("5.2", 52, 2_073_600, 36_864, 240_000));

    /** The lowest level (2.1 at least: nothing Reel makes is smaller) for a size, frame rate and peak rate. */
    public static H264Level forStream(int width, int height, double frameRate, int peakKbps, String profile) {
        long frameMacroblocks = (long) Math.ceil(width / 16.0) * (long) Math.ceil(height / 16.0);
        double macroblocksPerSecond = frameMacroblocks * frameRate;
        double rateFactor = "high".equals(profile) ? 1.25 : 1.0;
        return LEVELS.stream()
                .filter(l -> frameMacroblocks <= l.maxFrameMacroblocks
                        && macroblocksPerSecond <= l.maxMacroblocksPerSecond
                        && peakKbps <= l.maxKbps * rateFactor)
                .findFirst()
                .orElse(LEVELS.getLast());
    }
}
