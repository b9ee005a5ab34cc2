package dev.reel.edge.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;

/**
 * Caffeine bounded by weight (KiB), with its default W-TinyLFU policy. Maintenance runs on the calling thread, so
 * eviction is prompt and a replayed trace gives the same result every time.
 *
 * <p>Caffeine's admission window starts at 1% of the maximum weight (caffeine#1757): with multi-MB segments and a
 * small cache a new segment may be evicted before its second request. The window adapts with the hit rate; the
 * hit-ratio benchmark measures it on segment-sized objects.
 */
final class CaffeineStore implements ByteBoundedStore {

    private final Cache<String, CacheEntry> cache;

    CaffeineStore(long maxKiB) {
        cache = Caffeine.newBuilder()
                .maximumWeight(maxKiB)
                .weigher((String key, CacheEntry entry) -> entry.weightKiB())
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    @Override
    public CacheEntry getIfPresent(String key) {
        return cache.getIfPresent(key);
    }

    @Override
    public void put(String key, CacheEntry entry) {
        cache.put(key, entry);
    }

    @Override
    public void invalidate(String key) {
        cache.invalidate(key);
    }

    @Override
    public int invalidatePrefix(String prefix) {
        List<String> keys = cache.asMap().keySet().stream().filter(key -> key.startsWith(prefix)).toList();
        cache.invalidateAll(keys);
        return keys.size();
    }

    @Override
    public long weightKiB() {
        return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    @Override
    public long entries() {
        return cache.estimatedSize();
    }

    @Override
    public long evictions() {
        return cache.stats().evictionCount();
    }
}
