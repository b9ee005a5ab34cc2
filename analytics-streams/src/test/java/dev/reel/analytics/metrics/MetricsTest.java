package dev.reel.analytics.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void nothingMeasuredShowsNoPercentagesAndNoQuantiles() {
        MetricsView view = Metrics.empty().view();
        assertThat(view.plays()).isZero();
        assertThat(view.rebufferPercent()).isNull();
        assertThat(view.playbackFailurePercent()).isNull();
        assertThat(view.startupMillisP50()).isNull();
        assertThat(view.cacheHitRatio()).isNull();
        assertThat(view.edgeLatencyMillisP99()).isNull();
        assertThat(Metrics.empty().isEmpty()).isTrue();
    }

    @Test
    void theBinaryFormKeepsEveryFigureAndSketch() {
        Metrics metrics = sample(1);
        Metrics back = Metrics.fromBytes(metrics.toBytes());
        assertThat(back.view()).isEqualTo(metrics.view());
        assertThat(back.toBytes()).isEqualTo(metrics.toBytes());
        assertThatThrownBy(() -> Metrics.fromBytes(new byte[]{9})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSketchReadBackGoesOnExactlyLikeTheOneThatWroteIt() {
        Metrics live = sample(1);
        Metrics restored = Metrics.fromBytes(live.toBytes());
        for (int i = 0; i < 500; i++) {
            Delta more = Delta.progress(0, 0, 0, false, false, 0, (long) (i * 37 % 5_000));
            more.applyTo(live);
            more.applyTo(restored);
            live = Metrics.fromBytes(live.toBytes()); // what a store round trip does
            restored = Metrics.fromBytes(restored.toBytes());
        }
        assertThat(restored.toBytes()).isEqualTo(live.toBytes());
    }

    @Test
    void anObjectKeptInMemoryStaysWhatItsBytesWouldReadBackAs() {
        Metrics live = sample(1);
        Metrics reread = Metrics.fromBytes(live.toBytes());
        for (int i = 0; i < 500; i++) {
            Delta more = Delta.request(i % 3 == 0, 1_000, 100 + (i * 7919L % 40_000), 880);
            more.applyTo(live);
            byte[] stored = live.toBytes(); // what the store gets on every update; the object is kept
            reread = more.applyTo(Metrics.fromBytes(reread.toBytes()));
            assertThat(reread.toBytes()).as("after %d updates", i + 1).isEqualTo(stored);
        }
    }

    @Test
    void figuresAddUpAcrossPartitionsAndBuckets() {
        Metrics sum = Metrics.empty().add(sample(1)).add(sample(2));
        MetricsView view = sum.view();
        assertThat(view.plays()).isEqualTo(3);
        assertThat(view.startups()).isEqualTo(200);
        assertThat(view.segmentRequests()).isEqualTo(200);
        assertThat(view.startupMillisP50()).isBetween(900.0, 1_100.0);
        assertThat(view.rebufferPercent()).isEqualTo(100.0 * 3 * 200 / (3 * 2_000 + 3 * 200), org.assertj.core.data.Offset
                .offset(0.001));
    }

    /** {@code factor} plays, 100 startups of 500..1490 ms, 100 requests. */
    private static Metrics sample(int factor) {
        Metrics metrics = Metrics.empty();
        for (int i = 0; i < factor; i++) {
            Delta.play().withNewSession().applyTo(metrics);
        }
        Delta.progress(2_000L * factor, 200L * factor, factor, false, false, 0, null).applyTo(metrics);
        for (int i = 0; i < 100; i++) {
            Delta.progress(0, 0, 0, false, false, 0, 500L + 10 * i).applyTo(metrics);
            Delta.request(i % 2 == 0, 1_000, 100L + i, 880).applyTo(metrics);
        }
        return metrics;
    }
}
