package dev.reel.transcoder.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.transcoder.ffmpeg.TimeBase;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkLayoutTest {

    private static final TimeBase MS = new TimeBase(1, 1000);

    /** Frames every 40 ms for {@code durationMs}, a keyframe every {@code keyframeMs}. */
    private static VideoPackets packets(int durationMs, int keyframeMs) {
        int count = durationMs / 40;
        long[] pts = new long[count];
        int[] sizes = new int[count];
        boolean[] keys = new boolean[count];
        for (int i = 0; i < count; i++) {
            pts[i] = i * 40L;
            sizes[i] = 1000;
            keys[i] = pts[i] % keyframeMs == 0;
        }
        return new VideoPackets(MS, pts, sizes, keys, durationMs);
    }

    private static List<Double> chunkSeconds(ChunkLayout layout) {
        return IntStream.range(0, layout.count()).mapToObj(layout::seconds).toList();
    }

    @Test
    void aCopysSegmentsAreGroupedIntoChunksOfTheTargetLength() {
        SegmentPlan cuts = SegmentPlan.hlsMuxerCuts(packets(60_000, 2000), 4); // 15 segments of 4 s
        ChunkLayout layout = ChunkLayout.ofCopy(cuts, 8);
        assertThat(layout.chunks()).containsExactly(0, 2, 4, 6, 8, 10, 12, 14);
        assertThat(chunkSeconds(layout)).containsExactly(8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 4.0);
        assertThat(layout.start(1)).isEqualTo(8000);
        assertThat(layout.end(1)).isEqualTo(16_000);
        assertThat(layout.end(7)).as("the last ends with the video").isEqualTo(60_000);
        assertThat(layout.cutsOf(7)).containsExactly(56_000L);

        ChunkLayout tail = ChunkLayout.ofCopy(SegmentPlan.hlsMuxerCuts(packets(58_000, 2000), 4), 8);
        assertThat(chunkSeconds(tail)).as("a last 2 s, under half a chunk, joins the one before")
                .containsExactly(8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 10.0);
        assertThat(tail.segments(6)).isEqualTo(3);
        assertThat(tail.cutsOf(6)).containsExactly(48_000L, 52_000L, 56_000L);
    }

    @Test
    void anEncodedVideoIsChunkedAtTheOriginalsKeyframesNearestTheTarget() {
        // keyed every 3 s: chunks start at 9 (nearest 8), 18 (nearest 17), 27, 36; each cut into 4 s segments
        ChunkLayout layout = ChunkLayout.ofEncode(packets(40_000, 3000), 8, 4);
        assertThat(IntStream.range(0, layout.count()).mapToObj(layout::start).toList()).containsExactly(0L, 9000L, 18_000L,
                27_000L,
                36_000L);
        assertThat(chunkSeconds(layout)).containsExactly(9.0, 9.0, 9.0, 9.0, 4.0);
        assertThat(layout.cutsOf(0)).as("9 s: 4 s and 5 s (a 1 s tail joins)").containsExactly(0L, 4000L);
        assertThat(layout.cutsOf(4)).containsExactly(36_000L);
        assertThat(layout.cuts().keyframeMicros()).startsWith(0L, 4_000_000L, 9_000_000L, 13_000_000L);
    }

    @Test
    void noChunkStartsWhereTheEndIsAsNear() {
        // keyed every 2 s, 20 s: chunks of 4 s; after 16 s the end (20) is nearer than the keyframe at 18
        ChunkLayout layout = ChunkLayout.ofEncode(packets(20_000, 2000), 4, 4);
        assertThat(chunkSeconds(layout)).containsExactly(4.0, 4.0, 4.0, 4.0, 4.0);
    }

    @Test
    void anOriginalKeyedOnlyOnceIsOneChunk() {
        ChunkLayout layout = ChunkLayout.ofEncode(packets(30_000, 1_000_000), 8, 4);
        assertThat(layout.count()).isEqualTo(1);
        assertThat(layout.segments(0)).isEqualTo(8); // 30 s: 7 of 4 s and the 2 s tail
    }
}
