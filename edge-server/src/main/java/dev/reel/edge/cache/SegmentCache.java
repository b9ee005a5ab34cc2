package dev.reel.edge.cache;

import dev.reel.service.storage.StoredObject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The edge's in-process cache of objects from storage, bounded by bytes.
 *
 * <p>Concurrent misses for one key make exactly one storage read (single flight, like nginx's
 * {@code proxy_cache_lock}): the first miss starts the read, later ones wait on the same future. A failed read
 * completes every waiter exceptionally and leaves nothing behind, so the next request tries again.
 */
public final class SegmentCache {

    /**
     * The answer to a lookup.
     *
     * @param object the object
     * @param hit    whether it came from the cache (false for the read and for requests that waited on it)
     */
    public record Lookup(StoredObject object, boolean hit) {
    }

    private final ByteBoundedStore store;
    private final Function<String, StoredObject> storage;
    private final Executor loader;
    private final ConcurrentHashMap<String, CompletableFuture<StoredObject>> inFlight = new ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter misses;
    private final Counter coalesced;

    /**
     * @param policy   eviction policy
     * @param maxBytes byte budget
     * @param storage  reads one object whole; runs on {@code loader}
     * @param loader   where storage reads run, so no request thread blocks on storage
     * @param registry where the cache's meters go
     */
    public SegmentCache(CachePolicy policy, long maxBytes, Function<String, StoredObject> storage, Executor loader,
            MeterRegistry registry) {
        this.store = ByteBoundedStore.of(policy, maxBytes);
        this.storage = storage;
        this.loader = loader;
        this.hits = Counter.builder("reel.edge.cache.requests").tag("result", "hit").register(registry);
        this.misses = Counter.builder("reel.edge.cache.requests").tag("result", "miss").register(registry);
        this.coalesced = Counter.builder("reel.edge.cache.coalesced.misses")
                .description("misses that waited on a read already in flight").register(registry);
        FunctionCounter.builder("reel.edge.cache.evictions", store, ByteBoundedStore::evictions).register(registry);
        Gauge.builder("reel.edge.cache.bytes", store, s -> s.weightKiB() * 1024.0).baseUnit("bytes").register(registry);
        Gauge.builder("reel.edge.cache.max.bytes", () -> maxBytes).baseUnit("bytes").register(registry);
        Gauge.builder("reel.edge.cache.entries", store, ByteBoundedStore::entries).register(registry);
    }

    /**
     * The object under {@code key}, from the cache or read once from storage.
     *
     * @param ttl how long the object stays fresh, or {@code null} when it never changes (segments, finished playlists)
     */
    public CompletableFuture<Lookup> get(String key, Duration ttl) {
        StoredObject cached = fresh(key);
        if (cached != null) {
            hits.increment();
            return CompletableFuture.completedFuture(new Lookup(cached, true));
        }
        misses.increment();
        CompletableFuture<StoredObject> read = new CompletableFuture<>();
        CompletableFuture<StoredObject> running = inFlight.putIfAbsent(key, read);
        if (running != null) {
            coalesced.increment();
            return running.thenApply(object -> new Lookup(object, false));
        }
        loader.execute(() -> load(key, ttl, read));
        return read.thenApply(object -> new Lookup(object, false));
    }

    private void load(String key, Duration ttl, CompletableFuture<StoredObject> read) {
        StoredObject object;
        try {
            // A read that finished between our miss and our putIfAbsent has already filled the cache.
            object = fresh(key);
            if (object == null) {
                object = storage.apply(key);
                long expires = ttl == null ? CacheEntry.NEVER : System.nanoTime() + ttl.toNanos();
                store.put(key, new CacheEntry(object, expires));
            }
        } catch (RuntimeException | Error e) {
            // Out of the in-flight map before anyone hears of the failure, so the next request reads again
            // instead of joining a read that has already failed.
            inFlight.remove(key, read);
            read.completeExceptionally(e);
            return;
        }
        inFlight.remove(key, read);
        read.complete(object);
    }

    private StoredObject fresh(String key) {
        CacheEntry entry = store.getIfPresent(key);
        if (entry == null) {
            return null;
        }
        if (!entry.isFreshAt(System.nanoTime())) {
            store.invalidate(key);
            return null;
        }
        return entry.object();
    }

    /**
     * Whether a {@link #get} of {@code key} now would be served without a new storage read: the cache holds it fresh,
     * or a read of it is in flight. Counts nothing.
     */
    public boolean holdsOrReads(String key) {
        return inFlight.containsKey(key) || fresh(key) != null;
    }

    /** Drops every cached object under {@code prefix}, e.g. a deleted video's {@code media/<id>/}; returns how many. */
    public int invalidatePrefix(String prefix) {
        return store.invalidatePrefix(prefix);
    }

    /** Bytes held now. */
    public long bytes() {
        return store.weightKiB() * 1024;
    }
}
