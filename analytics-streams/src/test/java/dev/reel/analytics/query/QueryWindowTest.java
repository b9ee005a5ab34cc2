package dev.reel.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueryWindowTest {

    private static final long NOW = Instant.parse("2026-11-24T10:17:42Z").toEpochMilli();

    @Test
    void aWindowIsItsBucketsUpToTheOneFillingNow() {
        assertThat(Instant.ofEpochMilli(QueryWindow.ONE_HOUR.lastBucket(NOW))).isEqualTo("2026-11-24T10:17:00Z");
        assertThat(Instant.ofEpochMilli(QueryWindow.ONE_HOUR.firstBucket(NOW))).isEqualTo("2026-11-24T09:18:00Z");
        assertThat(Instant.ofEpochMilli(QueryWindow.ONE_DAY.lastBucket(NOW))).isEqualTo("2026-11-24T10:00:00Z");
        assertThat(Instant.ofEpochMilli(QueryWindow.ONE_DAY.firstBucket(NOW))).isEqualTo("2026-11-23T11:00:00Z");
        assertThat((QueryWindow.FIFTEEN_MINUTES.lastBucket(NOW) - QueryWindow.FIFTEEN_MINUTES.firstBucket(NOW)) / 60_000 + 1)
                .isEqualTo(15);
    }

    @Test
    void labels() {
        assertThat(QueryWindow.fromLabel("7d")).contains(QueryWindow.ONE_WEEK);
        assertThat(QueryWindow.fromLabel("2h")).isEmpty();
        assertThat(QueryWindow.labels()).isEqualTo("15m, 1h, 6h, 24h, 7d");
    }
}
