package dev.reel.edge.cache;

/** Where {@link SegmentCache} keeps its entries: a map bounded by the entries' bytes, evicting by some policy. */
interface ByteBoundedStore {

    CacheEntry getIfPresent(String key);

    void put(String key, CacheEntry entry);

    void invalidate(String key);

    /** Drops every entry whose key starts with {@code prefix} (a deleted video's objects); returns how many. */
    int invalidatePrefix(String prefix);

    /** Sum of the weights of the entries held, in KiB. */
    long weightKiB();

    long entries();

    long evictions();

    static ByteBoundedStore of(CachePolicy policy, long maxBytes) {
        long maxKiB = Math.max(1, maxBytes / 1024);
        return switch (policy) {
            case TINY_LFU -> new CaffeineStore(maxKiB);
            case LRU -> new LruStore(maxKiB);
        };
    }
}
