package dev.reel.analytics.topology;

import dev.reel.analytics.metrics.Granularity;

/** Where the topology reports an event too late for a bucket (past its grace); the service counts them in a metric. */
@FunctionalInterface
public interface LateEvents {

    void record(Granularity granularity);

    LateEvents IGNORED = granularity -> {
    };
}
