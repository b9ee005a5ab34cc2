package dev.reel.analytics.metrics;

import java.util.List;

/**
 * How an hour's figures come from its minutes. Events go into their minute bucket only (one store write per dimension
 * instead of one per dimension and granularity); an event too late for its minute but within the hour's grace goes into
 * the hour bucket. Once the hour has closed (its end plus its grace, by stream time) the task rolls its minutes up into
 * the hour bucket and marks it {@link Metrics#isRolledUp() rolled up}; until then a query adds the minutes to the hour
 * bucket itself. Both use {@link #of}, so an hour answers the same figures, quantiles included, before and after.
 */
public final class HourRollup {

    private HourRollup() {
    }

    /**
     * The figures of one hour and dimension.
     *
     * @param hour    what the hour bucket holds: the rolled-up hour (returned as it is), or only the events too late for
     *                their minute, or {@code null}
     * @param minutes the dimension's minute buckets of that hour, in the order of their start
     * @return new figures (neither argument is changed), or {@code hour} itself when it is already rolled up
     */
    public static Metrics of(Metrics hour, List<Metrics> minutes) {
        if (hour != null && hour.rolledUp) {
            return hour;
        }
        Metrics whole = Metrics.empty();
        if (hour != null) {
            whole.add(hour);
        }
        for (Metrics minute : minutes) {
            whole.add(minute);
        }
        return whole;
    }

    /** {@link #of}, marked as the hour's final figures: what the task writes once the hour has closed. */
    public static Metrics rolledUp(Metrics hour, List<Metrics> minutes) {
        Metrics whole = of(hour, minutes);
        whole.rolledUp = true;
        return whole;
    }
}
