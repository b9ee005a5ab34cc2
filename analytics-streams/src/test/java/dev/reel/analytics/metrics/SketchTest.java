package dev.reel.analytics.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class SketchTest {

    @Test
    void quantilesCountTheValuesStillWaitingForTheirBatch() {
        Sketch sketch = new Sketch();
        for (long v = 1; v <= 3; v++) {
            sketch.add(v * 1_000);
        }
        assertThat(sketch.size()).isEqualTo(3);
        assertThat(sketch.quantile(0.5)).isEqualTo(2_000.0);
        assertThat(sketch.quantile(0.5)).as("asking changes nothing").isEqualTo(2_000.0);
        assertThat(new Sketch().quantile(0.5)).isNaN();
    }

    @Test
    void manyValuesKeepTheSketchAccuracy() {
        Random random = new Random(7);
        long[] values = new long[10_000 + Sketch.BATCH / 2]; // some still raw at the end
        Sketch sketch = new Sketch();
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 + random.nextInt(50_000);
            sketch.add(values[i]);
        }
        Arrays.sort(values);
        assertThat(sketch.size()).isEqualTo(values.length);
        assertThat(sketch.quantile(0.5)).isCloseTo(values[values.length / 2], Percentage.withPercentage(2));
        assertThat(sketch.quantile(0.99)).isCloseTo(values[(int) (values.length * 0.99)], Percentage.withPercentage(1));
    }

    @Test
    void mergedSketchesHoldEveryValue() {
        Sketch a = new Sketch();
        Sketch b = new Sketch();
        for (int i = 0; i < 1_000; i++) {
            (i % 2 == 0 ? a : b).add(i);
        }
        b.add(5_000);
        a.add(b);
        assertThat(a.size()).isEqualTo(1_001);
        assertThat(a.quantile(1.0)).isEqualTo(5_000.0);
        assertThat(a.quantile(0.5)).isCloseTo(500.0, Percentage.withPercentage(2));
    }

    @Test
    void theBytesAreTheWholeState() {
        Sketch live = new Sketch();
        for (int i = 0; i < 1_000; i++) {
            Sketch reread = Sketch.readFrom(bytes(live));
            assertThat(bytes(reread)).as("after %d values", i).isEqualTo(bytes(live));
            live.add(i * 7919L % 40_000);
        }
        ByteBuffer tooMany = ByteBuffer.allocate(8).putInt(0).putInt(Sketch.BATCH);
        assertThatThrownBy(() -> Sketch.readFrom(tooMany.flip())).isInstanceOf(IllegalArgumentException.class);
    }

    private static ByteBuffer bytes(Sketch sketch) {
        ByteBuffer out = ByteBuffer.allocate(sketch.byteSize());
        sketch.writeTo(out);
        return out.flip();
    }
}
