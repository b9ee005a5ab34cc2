package dev.reel.transcoder.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.transcoder.ffmpeg.TimeBase;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentPlanTest {

    private static final TimeBase MS = new TimeBase(1, 1000);

    /** One packet per frame of {@code frameMs}, keyframes at the given times (ms), all packets {@code bytes} large. */
    private static VideoPackets packets(int durationMs, int frameMs, int bytes, long... keyframesMs) {
        int count = durationMs / frameMs;
        long[] pts = new long[count];
        int[] sizes = new int[count];
        boolean[] keys = new boolean[count];
        for (int i = 0; i < count; i++) {
            pts[i] = (long) i * frameMs;
            sizes[i] = bytes;
            for (long k : keyframesMs) {
                keys[i] |= pts[i] == k;
            }
        }
        return new VideoPackets(MS, pts, sizes, keys, durationMs);
    }

    private static List<Double> seconds(SegmentPlan plan) {
        return java.util.stream.IntStream.range(0, plan.count()).mapToObj(plan::seconds).toList();
    }

    @Test
    void cutsAsFfmpegsHlsMuxerCutsACopy() {
        // measured with ffmpeg 5.1 -c copy -f hls -hls_time 4: a source keyed every 2.5 s is cut at 5, 10, 12.5, 17.5 ...
        SegmentPlan regular = SegmentPlan.hlsMuxerCuts(
                packets(40_000, 20, 1000, 0, 2500, 5000, 7500, 10_000, 12_500, 15_000, 17_500, 20_000, 22_500, 25_000, 27_500,
                        30_000, 32_500, 35_000, 37_500),
                4);
        assertThat(seconds(regular)).containsExactly(5.0, 5.0, 2.5, 5.0, 2.5, 5.0, 5.0, 2.5, 5.0, 2.5);
        // and a source keyed at 0,1,2,3.2,9,9.5,10,15,22,22.5,30 at 9, 9.5, 15, 22, 22.5 and 30
        SegmentPlan irregular = SegmentPlan.hlsMuxerCuts(
                packets(40_000, 100, 1000, 0, 1000, 2000, 3200, 9000, 9500, 10_000, 15_000, 22_000, 22_500, 30_000), 4);
        assertThat(seconds(irregular)).containsExactly(9.0, 0.5, 5.5, 7.0, 0.5, 7.5, 10.0);
        assertThat(irregular.maxSeconds()).isEqualTo(10.0);
        assertThat(irregular.keyframeMicros()).containsExactly(0L, 9_000_000L, 9_500_000L, 15_000_000L, 22_000_000L,
                22_500_000L, 30_000_000L);
    }

    @Test
    void aStreamKeyedEverySegmentIsCutAtEveryKeyframe() {
        SegmentPlan plan = SegmentPlan.hlsMuxerCuts(packets(12_000, 40, 1000, 0, 4000, 8000), 4);
        assertThat(seconds(plan)).containsExactly(4.0, 4.0, 4.0);
        assertThat(plan.targetDuration(0.04)).isEqualTo(4);
    }

    @Test
    void encodedRenditionsAreCutEverySegmentWithAShortTailJoinedToTheLastSegment() {
        assertThat(seconds(SegmentPlan.every(MS, 0, 10_000, 4))).containsExactly(4.0, 4.0, 2.0);
        assertThat(seconds(SegmentPlan.every(MS, 0, 8_500, 4))).as("a 0.5 s tail joins the segment before it")
                .containsExactly(4.0, 4.5);
        assertThat(SegmentPlan.every(MS, 500, 12_500, 4).cuts()).as("from the first frame").containsExactly(500L, 4500L,
                8500L);
    }

    @Test
    void timestampsAreConvertedExactlyWhereFfmpegCompares() {
        TimeBase ntsc = new TimeBase(1001, 30_000);
        // frame 120 of 29.97 fps video is at 4.004 s: at least 4 s, and its microseconds rounded down
        assertThat(ntsc.atLeastMicros(120, 4_000_000)).isTrue();
        assertThat(ntsc.atLeastMicros(119, 4_000_000)).isFalse();
        assertThat(ntsc.floorMicros(120)).isEqualTo(4_004_000);
        TimeBase third = new TimeBase(1, 3);
        assertThat(third.floorMicros(1)).as("a third of a second, rounded down").isEqualTo(333_333);
        assertThat(TimeBase.parse("1/15360")).isEqualTo(new TimeBase(1, 15_360));
    }

    @Test
    void peakAndAverageBitRatesComeFromThePacketsEachSegmentPresents() {
        // 25 fps of 1000 bytes = 200 kbit/s, cut at 4 s and 8 s of 10 s
        VideoPackets packets = packets(10_000, 40, 1000, 0, 4000, 8000);
        SegmentPlan plan = SegmentPlan.hlsMuxerCuts(packets, 4);
        assertThat(plan.segmentBytes(packets)).containsExactly(100_000, 100_000, 50_000);
        assertThat(plan.peakBitRate(packets)).isEqualTo(200_000);
        assertThat(plan.averageBitRate(packets)).isEqualTo(200_000);
    }

    @Test
    void refusesANonsensePlan() {
        assertThatThrownBy(() -> new SegmentPlan(MS, List.of(0L, 0L), 10)).hasMessageContaining("rise");
        assertThatThrownBy(() -> new SegmentPlan(MS, List.of(0L, 5L), 5)).hasMessageContaining("end after");
    }
}
