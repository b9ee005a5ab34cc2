package dev.reel.edge.cache;

import dev.reel.service.storage.StoredObject;

/**
 * A cached object and when it stops being fresh ({@link Long#MAX_VALUE} for immutable objects such as segments).
 *
 * @param object         the object
 * @param expiresAtNanos {@link System#nanoTime()} after which the entry is a miss
 */
record CacheEntry(StoredObject object, long expiresAtNanos) {

    static final long NEVER = Long.MAX_VALUE;

    boolean isFreshAt(long nowNanos) {
        // nanoTime values are only comparable by difference, and may be negative
        return expiresAtNanos == NEVER || nowNanos - expiresAtNanos < 0;
    }

    /** The weight in KiB, rounded up: Caffeine weighs in ints, and KiB keeps a multi-GiB cache below 2^31 (caffeine#881). */
    int weightKiB() {
        return (object.size() + 1023) / 1024 + 1;
    }
}
