package dev.reel.edge.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.service.storage.StoredObject;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SegmentCacheTest {

    private final ExecutorService loader = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void close() {
        loader.close();
    }

    private Function<String, StoredObject> storage(int size) {
        return key -> {
            reads.incrementAndGet();
            return new StoredObject(key, new byte[size], "\"e\"", Instant.EPOCH);
        };
    }

    private SegmentCache cache(CachePolicy policy, long maxBytes, Function<String, StoredObject> storage) {
        return new SegmentCache(policy, maxBytes, storage, loader, new SimpleMeterRegistry());
    }

    @ParameterizedTest
    @EnumSource(CachePolicy.class)
    void concurrentMissesShareOneRead(CachePolicy policy) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Function<String, StoredObject> slow = key -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return storage(1000).apply(key);
        };
        SegmentCache cache = cache(policy, 1 << 20, slow);
        List<CompletableFuture<SegmentCache.Lookup>> lookups = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lookups.add(cache.get("k", null));
        }
        release.countDown();
        lookups.forEach(l -> assertThat(l.join().hit()).isFalse());
        assertThat(reads).hasValue(1);
        assertThat(cache.get("k", null).join().hit()).isTrue();
        assertThat(reads).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(CachePolicy.class)
    void aFailedReadIsNotCached(CachePolicy policy) {
        AtomicInteger attempts = new AtomicInteger();
        SegmentCache cache = cache(policy, 1 << 20, key -> {
            if (attempts.incrementAndGet() == 1) {
                throw new UncheckedIOException(new java.io.IOException("storage down"));
            }
            return new StoredObject(key, new byte[10], "\"e\"", Instant.EPOCH);
        });
        assertThatThrownBy(() -> cache.get("k", null).join()).hasRootCauseMessage("storage down");
        assertThat(cache.get("k", null).join().object().size()).isEqualTo(10);
        assertThat(attempts).hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(CachePolicy.class)
    void shortLivedEntriesExpire(CachePolicy policy) throws Exception {
        SegmentCache cache = cache(policy, 1 << 20, storage(10));
        cache.get("playlist", Duration.ofMillis(1)).join();
        Thread.sleep(5); // longer than the 1 ms TTL under test, not a wait for something to happen
        assertThat(cache.get("playlist", Duration.ofMillis(1)).join().hit()).isFalse();
        cache.get("segment", null).join();
        assertThat(cache.get("segment", null).join().hit()).isTrue();
        assertThat(reads).hasValue(3);
    }

    @ParameterizedTest
    @EnumSource(CachePolicy.class)
    void anEntryKeepsTheTtlItWasReadWith(CachePolicy policy) throws Exception {
        // a growing playlist read while the video transcoded, asked for again once the catalog says READY (no ttl)
        SegmentCache cache = cache(policy, 1 << 20, storage(10));
        cache.get("playlist", Duration.ofMillis(1)).join();
        Thread.sleep(5); // longer than the 1 ms TTL under test, not a wait for something to happen
        assertThat(cache.get("playlist", null).join().hit()).as("the growing playlist is read again").isFalse();
        assertThat(cache.get("playlist", null).join().hit()).as("the final playlist stays").isTrue();
        assertThat(reads).hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(CachePolicy.class)
    void staysWithinItsByteBudget(CachePolicy policy) {
        long budget = 10L << 20;
        SegmentCache cache = cache(policy, budget, storage(1 << 20));
        for (int i = 0; i < 100; i++) {
            cache.get("seg-" + i, null).join();
            cache.get("seg-" + (i / 2), null).join();
        }
        assertThat(cache.bytes()).isLessThanOrEqualTo(budget).isGreaterThan(budget / 2);
    }

    @Test
    void lruEvictsTheLeastRecentlyUsed() {
        SegmentCache cache = cache(CachePolicy.LRU, 3 * 1026 * 1024L, storage(1 << 20));
        cache.get("a", null).join();
        cache.get("b", null).join();
        cache.get("c", null).join();
        cache.get("a", null).join();
        cache.get("d", null).join(); // evicts b
        assertThat(cache.get("a", null).join().hit()).isTrue();
        assertThat(cache.get("b", null).join().hit()).isFalse();
    }
}
