package dev.reel.analytics.metrics;

import java.time.Duration;

/**
 * The two bucket sizes figures are kept in, each in its own window store: minutes for the last hours, hours for the
 * last week. An event later than the grace (by the partition's stream time) no longer changes its bucket; it is counted
 * in {@code reel_analytics_late_events_total}.
 */
public enum Granularity {
    MINUTE("metrics-minute", Duration.ofMinutes(1), Duration.ofHours(6), Duration.ofMinutes(2)), HOUR("metrics-hour",
            Duration.ofHours(1), Duration.ofDays(7), Duration.ofMinutes(10));

    private final String storeName;
    private final Duration bucket;
    private final Duration kept;
    private final Duration grace;

    Granularity(String storeName, Duration bucket, Duration kept, Duration grace) {
        this.storeName = storeName;
        this.bucket = bucket;
        this.kept = kept;
        this.grace = grace;
    }

    public String storeName() {
        return storeName;
    }

    public Duration bucket() {
        return bucket;
    }

    /** How far back queries can look. */
    public Duration kept() {
        return kept;
    }

    public Duration grace() {
        return grace;
    }

    /** The store's retention: what queries look at plus what late events may still change. */
    public Duration retention() {
        return kept.plus(grace).plus(bucket);
    }

    /** The start of the bucket holding {@code epochMillis}. */
    public long bucketStart(long epochMillis) {
        return Math.floorDiv(epochMillis, bucket.toMillis()) * bucket.toMillis();
    }
}
