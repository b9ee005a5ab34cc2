package dev.reel.transcoder.storyboard;

import dev.reel.events.Storyboard;
import dev.reel.events.StoryboardTiles;
import dev.reel.transcoder.ffmpeg.TimeBase;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which frames of the original become the storyboard's tiles, decided when the video is planned, from the packets'
 * timestamps (no decode): tile {@code i} is the first frame at or after {@code i * interval} from the video's first
 * frame. The chunk task that decodes a chunk for its highest rungs picks the tiles whose frames fall in the chunk
 * ({@link #tilesIn}); its filter graph selects them by exact timestamp, so a tile is the same frame whichever task
 * or attempt makes it.
 *
 * @param storyboard the layout (interval, tile size, count, columns)
 * @param timeBase   the original's video time base
 * @param frames     the timestamp of each tile's frame, rising
 */
public record StoryboardPlan(Storyboard storyboard, TimeBase timeBase, List<Long> frames) {

    /** Tiles are this many pixels on their longer side: small enough for 100 in one sprite of ~1600x900. */
    public static final int TILE_LONG_SIDE = 160;
    /** Tiles per row of the sprite. */
    public static final int COLUMNS = 10;
    /** The shortest interval: closer tiles show nothing new on a seek bar a few hundred pixels wide. */
    static final double MIN_INTERVAL = 2;
    /** Intervals a viewer reads easily (the cue times stay round); beyond the last, whole minutes. */
    private static final double[] STEPS = {2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 60};

    public StoryboardPlan {
        frames = List.copyOf(frames);
        if (frames.size() != storyboard.tiles()) {
            throw new IllegalArgumentException(frames.size() + " frames for " + storyboard.tiles() + " tiles");
        }
    }

    /**
     * The storyboard of a video from its packets, its tiles sized to the picture's shape ({@code width x height}
     * display pixels).
     */
    public static StoryboardPlan of(VideoPackets packets, int width, int height) {
        TimeBase tb = packets.timeBase();
        long[] pts = packets.pts().clone();
        Arrays.sort(pts); // presentation order
        long start = pts[0];
        double duration = Math.max(tb.seconds(packets.end() - start), 0.001);
        double interval = interval(duration);
        int wanted = Math.min(Storyboard.MAX_TILES, Math.max(1, (int) Math.ceil(duration / interval - 1e-9)));
        List<Long> frames = new ArrayList<>();
        for (int i = 0; i < wanted; i++) {
            long instant = start + Math.round(i * interval * tb.den() / tb.num());
            int at = Arrays.binarySearch(pts, instant);
            at = at >= 0 ? at : -at - 1;
            if (at >= pts.length || !frames.isEmpty() && pts[at] <= frames.getLast()) {
                break; // past the last frame (or a frame rate below one per interval): the storyboard ends here
            }
            frames.add(pts[at]);
        }
        int[] size = tileSize(width, height);
        return new StoryboardPlan(new Storyboard(interval, size[0], size[1], frames.size(), Math.min(COLUMNS, frames.size())),
                tb, frames);
    }

    /** Seconds between tiles: at least {@value #MIN_INTERVAL}, at most about a hundred tiles, rounded up to a step. */
    static double interval(double durationSeconds) {
        double raw = Math.max(MIN_INTERVAL, durationSeconds / Storyboard.MAX_TILES);
        for (double step : STEPS) {
            if (step >= raw - 1e-9) {
                return step;
            }
        }
        return Math.ceil(raw / 60) * 60;
    }

    /** Width and height of a tile: {@value #TILE_LONG_SIDE} on the longer side, the picture's shape, even sizes. */
    static int[] tileSize(int width, int height) {
        if (width >= height) {
            return new int[]{TILE_LONG_SIDE, even((double) TILE_LONG_SIDE * height / width)};
        }
        return new int[]{even((double) TILE_LONG_SIDE * width / height), TILE_LONG_SIDE};
    }

    private static int even(double pixels) {
        return Math.max(2, (int) Math.round(pixels / 2) * 2);
    }

    /** The tiles whose frames are in {@code [start, end)} (timestamps), or {@code null} when none is. */
    public StoryboardTiles tilesIn(long start, long end) {
        int first = -1;
        List<Long> inside = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            long frame = frames.get(i);
            if (frame >= start && frame < end) {
                first = first < 0 ? i : first;
                inside.add(frame);
            }
        }
        return inside.isEmpty()
                ? null
                : new StoryboardTiles(first + 1, inside, storyboard.tileWidth(), storyboard.tileHeight());
    }

    /** Every tile: for a video whose only decode is a storyboard's own. */
    public StoryboardTiles all() {
        return new StoryboardTiles(1, frames, storyboard.tileWidth(), storyboard.tileHeight());
    }
}
