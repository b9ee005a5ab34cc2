package dev.reel.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.analytics.metrics.Delta;
import dev.reel.analytics.metrics.Metrics;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartialsTest {

    @Test
    void travelsBetweenInstancesWithItsSketches() throws Exception {
        Metrics metrics = Delta.progress(1_000, 100, 1, false, false, 0, 640L).applyTo(Metrics.empty());
        Delta.request(true, 4_096, 700L, 880).applyTo(metrics);
        Partials partials = new Partials(Set.of(0, 7), List.of(new Bucket(7, 1_764_000_000_000L, "edge/edge-1", metrics)));

        Partials back = Partials.fromJson(partials.toJson());
        assertThat(back.partitions()).containsExactlyInAnyOrder(0, 7);
        assertThat(back.buckets()).hasSize(1);
        Bucket bucket = back.buckets().getFirst();
        assertThat(bucket.partition()).isEqualTo(7);
        assertThat(bucket.key()).isEqualTo("edge/edge-1");
        assertThat(bucket.metrics().view()).isEqualTo(metrics.view());
        assertThat(bucket.metrics().view().startupMillisP50()).isEqualTo(640);
    }
}
