package dev.reel.transcoder.ladder;

import dev.reel.transcoder.ffmpeg.SourceInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The bitrate table and the choice of renditions for a source: every rung up to the source's own size, never one
 * above it (an upscaled rendition costs bits and shows nothing new), and a top rung at the source's own size when it
 * falls between two rungs (a 900p source gets 720p and 900p, not 720p alone).
 *
 * <table>
 *   <caption>Default ladder (shorter side, H.264 target / peak)</caption>
 *   <tr><th>name</th><th>profile</th><th>video kbit/s</th></tr>
 *   <tr><td>240p</td><td>baseline</td><td>400 / 440</td></tr>
 *   <tr><td>360p</td><td>main</td><td>800 / 880</td></tr>
 *   <tr><td>480p</td><td>main</td><td>1400 / 1540</td></tr>
 *   <tr><td>720p</td><td>high</td><td>2800 / 3080</td></tr>
 *   <tr><td>1080p</td><td>high</td><td>5000 / 5500</td></tr>
 *   <tr><td>1440p</td><td>high</td><td>9000 / 9900</td></tr>
 *   <tr><td>2160p</td><td>high</td><td>16000 / 17600</td></tr>
 * </table>
 */
public final class LadderTable {

    /** Frame rates above this are halved (a 120 fps phone clip streams at 60). */
    static final double MAX_FRAME_RATE = 60;
    /**
     * A source whose shorter side exceeds the highest rung it reaches by more than this factor gets a top rung at its
     * own size: 1088 lines stay 1080p (a 0.7% downscale loses nothing), 1200 lines get a 1200p rung.
     */
    static final double OWN_SIZE_STEP = 1.10;

    public static final LadderTable DEFAULT = new LadderTable(List.of(
            new Rung("240p", 240, 400, "baseline"),
            new Rung("360p", 360, 800, "main"),
            new Rung("480p", 480, 1_400, "main"),
            new Rung("720p", 720, 2_800, "high"),
            new Rung("1080p", 1_080, 5_000, "high"),
            new Rung("1440p", 1_440, 9_000, "high"),
            new Rung("2160p", 2_160, 16_000, "high")));

    private final List<Rung> rungs;

    /** @param rungs the table, smallest first */
    public LadderTable(List<Rung> rungs) {
        this.rungs = List.copyOf(rungs);
    }

    /**
     * The renditions for a source, lowest first: the table's rungs up to the source's size, then, if the source lies
     * more than {@value #OWN_SIZE_STEP}x above the highest of them and below the table's top, a rung at the source's
     * own size named after its shorter side (e.g. {@code 358p}), its rate interpolated between its neighbours by pixel
     * count and the profile of the rung above. A source smaller than the lowest rung gets one rung at its own size with
     * the lowest rung's rates; a source larger than the top rung gets the whole table, downscaled.
     */
    public List<PlannedRendition> plan(SourceInfo source) {
        double frameRate = outputFrameRate(source.frameRate());
        int shortSide = Math.max(2, source.shortSide() & ~1); // even, never above the source
        List<PlannedRendition> planned = new ArrayList<>();
        Rung below = null;
        Rung above = null;
        for (Rung rung : rungs) {
            if (rung.shortSide() <= source.shortSide()) {
                planned.add(rendition(rung, source, rung.shortSide(), frameRate));
                below = rung;
            } else if (above == null) {
                above = rung;
            }
        }
        if (below == null) {
            Rung lowest = rungs.getFirst();
            planned.add(rendition(new Rung(shortSide + "p", shortSide, lowest.videoKbps(), lowest.profile()),
                    source, shortSide, frameRate));
        } else if (above != null && source.shortSide() > below.shortSide() * OWN_SIZE_STEP) {
            planned.add(rendition(ownSize(below, above, shortSide), source, shortSide, frameRate));
        }
        return List.copyOf(planned);
    }

    /** The rung at a source's own size between two rungs: its rate interpolated by pixel count (short side squared). */
    static Rung ownSize(Rung below, Rung above, int shortSide) {
        double position = (square(shortSide) - square(below.shortSide()))
                / (double) (square(above.shortSide()) - square(below.shortSide()));
        int videoKbps = (int) Math.round(below.videoKbps() + position * (above.videoKbps() - below.videoKbps()));
        return new Rung(shortSide + "p", shortSide, videoKbps, above.profile());
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

    private static long square(int value) {
        return (long) value * value;
    }

    private static int even(double pixels) {
        return Math.max(2, 2 * (int) Math.round(pixels / 2));
    }
}
