package dev.reel.analytics.query;

import dev.reel.analytics.metrics.Granularity;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The time ranges the API answers for ({@code window=}), each with the bucket size of its time series: minutes up to
 * six hours, hours beyond.
 */
public enum QueryWindow {
    FIFTEEN_MINUTES("15m", Duration.ofMinutes(15), Granularity.MINUTE), ONE_HOUR("1h", Duration.ofHours(1),
            Granularity.MINUTE), SIX_HOURS("6h", Duration.ofHours(6), Granularity.MINUTE), ONE_DAY("24h", Duration.ofHours(24),
                    Granularity.HOUR), ONE_WEEK("7d", Duration.ofDays(7), Granularity.HOUR);

    private final String label;
    private final Duration length;
    private final Granularity granularity;

    QueryWindow(String label, Duration length, Granularity granularity) {
        this.label = label;
        this.length = length;
        this.granularity = granularity;
    }

    public String label() {
        return label;
    }

    public Granularity granularity() {
        return granularity;
    }

    /** The start of the first bucket of the window ending with the bucket that holds {@code nowMillis}. */
    public long firstBucket(long nowMillis) {
        return lastBucket(nowMillis) - length.toMillis() + granularity.bucket().toMillis();
    }

    /** The bucket that holds {@code nowMillis} (still filling). */
    public long lastBucket(long nowMillis) {
        return granularity.bucketStart(nowMillis);
    }

    public static Optional<QueryWindow> fromLabel(String label) {
        return Arrays.stream(values()).filter(w -> w.label.equals(label)).findFirst();
    }

    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(QueryWindow::label).toList());
    }
}
