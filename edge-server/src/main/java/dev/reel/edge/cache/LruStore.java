package dev.reel.edge.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plain LRU bounded by weight, written by hand because Caffeine cannot be configured as LRU: its eviction is always
 * W-TinyLFU (an admission window plus a frequency-filtered main region), and there is no policy option. An
 * access-ordered {@link LinkedHashMap} under one lock is the textbook LRU; the lock is fine for a baseline.
 */
final class LruStore implements ByteBoundedStore {

    private final long maxKiB;
    private final LinkedHashMap<String, CacheEntry> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long weightKiB;
    private long evictions;

    LruStore(long maxKiB) {
        this.maxKiB = maxKiB;
    }

    @Override
    public synchronized CacheEntry getIfPresent(String key) {
        return entries.get(key);
    }

    @Override
    public synchronized void put(String key, CacheEntry entry) {
        CacheEntry previous = entries.put(key, entry);
        if (previous != null) {
            weightKiB -= previous.weightKiB();
        }
        weightKiB += entry.weightKiB();
        Iterator<Map.Entry<String, CacheEntry>> eldestFirst = entries.entrySet().iterator();
        while (weightKiB > maxKiB && eldestFirst.hasNext()) {
            weightKiB -= eldestFirst.next().getValue().weightKiB();
            eldestFirst.remove();
            evictions++;
        }
    }

    @Override
    public synchronized void invalidate(String key) {
        CacheEntry removed = entries.remove(key);
        if (removed != null) {
            weightKiB -= removed.weightKiB();
        }
    }

    @Override
    public synchronized int invalidatePrefix(String prefix) {
        int removed = 0;
        Iterator<Map.Entry<String, CacheEntry>> all = entries.entrySet().iterator();
        while (all.hasNext()) {
            Map.Entry<String, CacheEntry> entry = all.next();
            if (entry.getKey().startsWith(prefix)) {
                weightKiB -= entry.getValue().weightKiB();
                all.remove();
                removed++;
            }
        }
        return removed;
    }

    @Override
    public synchronized long weightKiB() {
        return weightKiB;
    }

    @Override
    public synchronized long entries() {
        return entries.size();
    }

    @Override
    public synchronized long evictions() {
        return evictions;
    }
}
