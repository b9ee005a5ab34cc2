package dev.reel.analytics.query;

import dev.reel.analytics.metrics.Metrics;

/**
 * The figures of one dimension in one time bucket of one partition: what an instance answers for its partitions, and
 * what the instance asked adds up.
 *
 * @param partition the {@code reel.playback} partition they come from
 * @param start     the bucket's start, epoch milliseconds
 * @param key       the dimension key, e.g. {@code edge/edge-1}
 * @param metrics   the figures
 */
public record Bucket(int partition, long start, String key, Metrics metrics) {
}
