package dev.reel.catalog.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StandbyLagsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void aQueryNeverWaitsForLagsAndTrustsOnlyARecentSnapshot() {
        try (StandbyLags lags = new StandbyLags(() -> {
            reads.incrementAndGet();
            return Map.of("views", Map.of(0, 0L, 1, 7L));
        }, now::get)) {
            assertThat(lags.caughtUp("views", 0)).as("no snapshot yet: unknown").isFalse();
            Await.until("a snapshot read in the background", Duration.ofSeconds(10), () -> lags.caughtUp("views", 0), List.of());
            assertThat(lags.caughtUp("views", 1)).as("a lagging copy").isFalse();
            assertThat(lags.caughtUp("videos", 0)).as("no copy of that store").isFalse();
            assertThat(reads).as("a fresh snapshot is reused").hasValue(1);

            now.addAndGet(StandbyLags.TRUSTED_FOR.toNanos() + 1);
            assertThat(lags.caughtUp("views", 0)).as("too old to trust, refreshed meanwhile").isFalse();
            Await.until("refreshed", Duration.ofSeconds(10), () -> lags.caughtUp("views", 0), List.of());
            assertThat(reads).hasValue(2);
        }
    }

    @Test
    void lagsThatCannotBeReadMeanNothingIsCaughtUp() {
        try (StandbyLags lags = new StandbyLags(() -> {
            reads.incrementAndGet();
            throw new IllegalStateException("brokers away");
        }, now::get)) {
            lags.caughtUp("views", 0);
            Await.until("a failed read", Duration.ofSeconds(10), () -> reads.get() == 1, List.of());
            assertThat(lags.caughtUp("views", 0)).isFalse();
        }
    }
}
