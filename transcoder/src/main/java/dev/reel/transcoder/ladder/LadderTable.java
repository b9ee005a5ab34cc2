package dev.reel.transcoder.ladder;

import dev.reel.transcoder.ffmpeg.SourceInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The bitrate table and the choice of renditions for a source: every rung up to the source's own size, never one
 * above it (an upscaled rendition costs bits and shows nothing new).
 *
 * <table>
 *   <caption>Default ladder (shorter side, H.264 target / peak, AAC)</caption>
 *   <tr><th>name</th><th>profile</th><th>video kbit/s</th><th>audio kbit/s</th></tr>
 *   <tr><td>240p</td><td>baseline</td><td>400 / 440</td><td>64</td></tr>
 *   <tr><td>360p</td><td>main</td><td>800 / 880</td><td>96</td></tr>
 *   <tr><td>480p</td><td>main</td><td>1400 / 1540</td><td>128</td></tr>
 *   <tr><td>720p</td><td>high</td><td>2800 / 3080</td><td>128</td></tr>
 *   <tr><td>1080p</td><td>high</td><td>5000 / 5500</td><td>160</td></tr>
 * </table>
 */
public final class LadderTable {

    /** Frame rates above this are halved (a 120 fps phone clip streams at 60). */
    static final double MAX_FRAME_RATE = 60;

    public static final LadderTable DEFAULT = new LadderTable(List.of(
            new Rung("240p", 240, 400, 64, "baseline"),
            new Rung("360p", 360, 800, 96, "main"),
            new Rung("480p", 480, 1_400, 128, "main"),
            new Rung("720p", 720, 2_800, 128, "high"),
            new Rung("1080p", 1_080, 5_000, 160, "high")));

    private final List<Rung> rungs;

    public LadderTable(List<Rung> rungs) {
        this.rungs = List.copyOf(rungs);
    }

    /**
     * The renditions for a source, lowest first. A source smaller than the lowest rung gets that one rung at its
     * own size (the name stays {@code 240p}: names are a fixed vocabulary that players and keys rely on).
     */
    public List<PlannedRendition> plan(SourceInfo source) {
        double frameRate = outputFrameRate(source.frameRate());
        List<PlannedRendition> planned = new ArrayList<>();
        for (Rung rung : rungs) {
            if (rung.shortSide() <= source.shortSide()) {
                planned.add(rendition(rung, source, rung.shortSide(), frameRate));
            }
        }
        if (planned.isEmpty()) {
            planned.add(rendition(rungs.getFirst(), source, even(source.shortSide()), frameRate));
        }
        return List.copyOf(planned);
    }

    /** The frame rate renditions are encoded at: the source's, halved until it is at most 60. */
    public static double outputFrameRate(double sourceFrameRate) {
        double rate = sourceFrameRate;
        while (rate > MAX_FRAME_RATE + 0.01) {
            rate /= 2;
        }
        return rate;
    }

    private static PlannedRendition rendition(Rung rung, SourceInfo source, int shortSide, double frameRate) {
        int longSide = even((double) Math.max(source.width(), source.height()) * shortSide / source.shortSide());
        int width = source.portrait() ? shortSide : longSide;
        int height = source.portrait() ? longSide : shortSide;
        H264Level level = H264Level.forStream(width, height, frameRate, rung.maxrateKbps(), rung.profile());
        return new PlannedRendition(rung, width, height, frameRate, level);
    }

    private static int even(double pixels) {
        return Math.max(2, 2 * (int) Math.round(pixels / 2));
    }
}
