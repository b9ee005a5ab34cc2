package dev.reel.catalog.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The hopping windows trending is computed over. Each has its own windowed count store; the top-N is taken at
 * query time from the window that ends soonest after now, i.e. the last {@code size} up to one advance.
 */
public enum TrendingWindow {
    /** The last hour, moving every 5 minutes; a play up to 10 minutes late still counts. */
    ONE_HOUR("1h", Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofMinutes(10)),
    /** The last day, moving every hour; a play up to an hour late still counts. */
    ONE_DAY("24h", Duration.ofHours(24), Duration.ofHours(1), Duration.ofHours(1));

    private final String label;
    private final Duration size;
    private final Duration advance;
    private final Duration grace;

    TrendingWindow(String label, Duration size, Duration advance, Duration grace) {
        this.label = label;
        this.size = size;
        this.advance = advance;
        this.grace = grace;
    }

    /** The name in the API, {@code 1h} or {@code 24h}. */
    public String label() {
        return label;
    }

    /** The windowed view-count store of this window. */
    public String storeName() {
        return "trending-" + label;
    }

    public TimeWindows windows() {
        return TimeWindows.ofSizeAndGrace(size, grace).advanceBy(advance);
    }

    /** How long the store keeps windows: long enough for the last one to take late events. */
    public Duration retention() {
        return size.plus(grace);
    }

    /**
     * The start of the window that contains {@code now} and ends soonest after it (windows start at multiples
     * of the advance since the epoch).
     */
    public Instant currentWindowStart(Instant now) {
        long advanceMs = advance.toMillis();
        long nextBoundary = Math.floorDiv(now.toEpochMilli(), advanceMs) * advanceMs + advanceMs;
        return Instant.ofEpochMilli(nextBoundary - size.toMillis());
    }

    public static Optional<TrendingWindow> fromLabel(String label) {
        return Arrays.stream(values()).filter(w -> w.label.equals(label)).findFirst();
    }
}
