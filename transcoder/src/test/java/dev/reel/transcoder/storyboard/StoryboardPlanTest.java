package dev.reel.transcoder.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.Storyboard;
import dev.reel.events.StoryboardTiles;
import dev.reel.transcoder.ffmpeg.TimeBase;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoryboardPlanTest {

    private static final TimeBase TB = new TimeBase(1, 12_800);

    /** {@code frames} at {@code fps}, from {@code start} ticks, in decode order with B-frames (pts not rising). */
    private static VideoPackets packets(int frames, double fps, long start) {
        long[] pts = new long[frames];
        long step = Math.round(12_800 / fps);
        for (int i = 0; i < frames; i++) {
            // decode order I P B B P B B ...: presentation timestamps out of order
            int shown = i == 0 ? 0 : (i % 3 == 1 ? Math.min(frames - 1, i + 2) : i - 1);
            pts[i] = start + shown * step;
        }
        return new VideoPackets(TB, pts, new int[frames], new boolean[frames], start + frames * step);
    }

    @Test
    void theIntervalIsAtLeastTwoSecondsAndKeepsToAboutAHundredTilesInRoundSteps() {
        assertThat(StoryboardPlan.interval(0.5)).isEqualTo(2);
        assertThat(StoryboardPlan.interval(200)).isEqualTo(2);
        assertThat(StoryboardPlan.interval(201)).isEqualTo(3);
        assertThat(StoryboardPlan.interval(600)).isEqualTo(6);
        assertThat(StoryboardPlan.interval(700)).isEqualTo(8);
        assertThat(StoryboardPlan.interval(3600)).isEqualTo(45);
        assertThat(StoryboardPlan.interval(7200)).as("past a minute, whole minutes").isEqualTo(120);
        for (double seconds : new double[]{1, 59.9, 201, 999, 3601, 36_000}) {
            assertThat(Math.ceil(seconds / StoryboardPlan.interval(seconds))).as(seconds + " s").isLessThanOrEqualTo(100);
        }
    }

    @Test
    void tileIIsTheFirstFrameAtOrAfterIIntervalsFromTheFirstFrame() {
        // 25 fps from 0.08 s (an offset first frame), 10.2 s long
        StoryboardPlan plan = StoryboardPlan.of(packets(255, 25, 1024), 1280, 720);
        assertThat(plan.storyboard()).isEqualTo(new Storyboard(2, 160, 90, 6, 6));
        assertThat(plan.frames()).containsExactly(1024L, 1024L + 25_600, 1024L + 51_200, 1024L + 76_800, 1024L + 102_400,
                1024L + 128_000);
        // 29.97 fps: 2 s is not a frame boundary; the next frame is taken
        StoryboardPlan ntsc = StoryboardPlan.of(new VideoPackets(new TimeBase(1001, 30_000), longs(0, 120), new int[120],
                new boolean[120], 120), 640, 360);
        assertThat(ntsc.frames()).containsExactly(0L, 60L); // 60 * 1001 / 30000 = 2.002 s >= 2 s
    }

    @Test
    void aVeryShortVideoHasOneTileAndALongOneAtMostAHundred() {
        assertThat(StoryboardPlan.of(packets(12, 25, 0), 1920, 1080).storyboard().tiles()).isEqualTo(1);
        StoryboardPlan hour = StoryboardPlan.of(packets(3600, 1, 0), 1920, 1080); // one frame a second, an hour
        assertThat(hour.storyboard().tiles()).isEqualTo(80).isLessThanOrEqualTo(Storyboard.MAX_TILES);
        assertThat(hour.storyboard().intervalSeconds()).isEqualTo(45);
        assertThat(hour.storyboard().rows()).isEqualTo(8);
        assertThat(hour.storyboard().spriteWidth()).isEqualTo(1600);
        assertThat(hour.storyboard().spriteHeight()).isEqualTo(720);
    }

    @Test
    void tilesKeepThePicturesShape() {
        assertThat(StoryboardPlan.tileSize(1920, 1080)).containsExactly(160, 90);
        assertThat(StoryboardPlan.tileSize(640, 480)).containsExactly(160, 120);
        assertThat(StoryboardPlan.tileSize(1080, 1920)).containsExactly(90, 160);
        assertThat(StoryboardPlan.tileSize(4000, 100)).containsExactly(160, 4);
    }

    @Test
    void chunksSplitTheTilesWithoutGapOrOverlap() {
        StoryboardPlan plan = StoryboardPlan.of(packets(750, 25, 0), 1920, 1080); // 30 s: 15 tiles
        long chunk = 8 * 12_800;
        List<Integer> numbers = new ArrayList<>();
        for (long start = 0; start < 30 * 12_800; start += chunk) {
            StoryboardTiles tiles = plan.tilesIn(start, Math.min(start + chunk, 30 * 12_800));
            numbers.addAll(tiles.numbers());
            long from = start;
            assertThat(tiles.frames()).allMatch(f -> f >= from && f < from + chunk);
        }
        assertThat(numbers).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        assertThat(plan.tilesIn(1, 2)).as("no tile in a chunk between two").isNull();
        assertThat(plan.all().numbers()).hasSize(15);
    }

    private static long[] longs(long from, int count) {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = from + i;
        }
        return values;
    }
}
