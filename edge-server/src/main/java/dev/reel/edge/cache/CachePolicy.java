package dev.reel.edge.cache;

/** Which eviction policy bounds the cache ({@code REEL_EDGE_CACHE_POLICY}). */
public enum CachePolicy {
    /** Caffeine's W-TinyLFU: admits a new object only if it is likely to be asked for more than the one it evicts. */
    TINY_LFU,
    /** Least recently used: the classic baseline, kept to compare against and for workloads that are pure recency. */
    LRU
}
