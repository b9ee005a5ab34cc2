package dev.reel.edge.bench;

import dev.reel.edge.cache.CachePolicy;
import dev.reel.edge.cache.SegmentCache;
import dev.reel.service.storage.StoredObject;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays one Zipf(0.9) request trace over 2,000 segments through the edge's {@link SegmentCache} with W-TinyLFU
 * and with LRU, the cache holding 10% of the segments' bytes, and prints both hit ratios side by side. Segment
 * sizes are those of a real ladder (240p to 1080p at 4 s: about 0.2 to 3 MB), so Caffeine's admission window is
 * exercised with multi-MB entries. Not a timed test: a measurement to read.
 *
 * <pre>infra/java -cp edge-server/target/test-classes:edge-server/target/classes:$(cat edge-server/target/service.classpath) \
 *     dev.reel.edge.bench.HitRatioBenchmark [requests] [seed]</pre>
 */
public final class HitRatioBenchmark {

    private static final int SEGMENTS = 2_000;
    private static final double ZIPF_EXPONENT = 0.9;
    private static final double CACHE_SHARE = 0.10;
    /** Typical 4 s segment sizes of the five rungs (240p 400 kbit/s ... 1080p 5 Mbit/s). */
    private static final int[] RUNG_BYTES = {200_000, 400_000, 700_000, 1_400_000, 2_600_000};

    private HitRatioBenchmark() {
    }

    record Result(CachePolicy policy, long requests, long hits, long storageReads, long storageBytes, long requestedBytes) {
        double hitRatio() {
            return (double) hits / requests;
        }

        double byteHitRatio() {
            return 1.0 - (double) storageBytes / requestedBytes;
        }
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        int[] sizes = segmentSizes(seed);
        long totalBytes = 0;
        for (int size : sizes) {
            totalBytes += size;
        }
        long cacheBytes = (long) (totalBytes * CACHE_SHARE);
        int[] trace = zipfTrace(requests, seed);
        System.out.printf(Locale.ROOT, "%d segments, %.1f MB in all; cache %.1f MB (%.0f%%); %d requests, Zipf(%.1f), seed %d%n",
                SEGMENTS, totalBytes / 1e6, cacheBytes / 1e6, CACHE_SHARE * 100, requests, ZIPF_EXPONENT, seed);
        Result lru = replay(CachePolicy.LRU, trace, sizes, cacheBytes);
        Result tinyLfu = replay(CachePolicy.TINY_LFU, trace, sizes, cacheBytes);
        for (Result r : new Result[]{tinyLfu, lru}) {
            System.out.printf(Locale.ROOT,
                    "%-8s hit ratio %.2f%%  byte hit ratio %.2f%%  storage reads %d  storage bytes %.2f GB%n",
                    r.policy(), r.hitRatio() * 100, r.byteHitRatio() * 100, r.storageReads(), r.storageBytes() / 1e9);
        }
        System.out.printf(Locale.ROOT, "W-TinyLFU vs LRU: hit ratio %+.2f points, storage bytes x%.3f%n",
                (tinyLfu.hitRatio() - lru.hitRatio()) * 100, (double) tinyLfu.storageBytes() / lru.storageBytes());
    }

    private static Result replay(CachePolicy policy, int[] trace, int[] sizes, long cacheBytes) {
        List<String> keys = new java.util.ArrayList<>(trace.length);
        java.util.Map<String, Integer> sizeOf = new java.util.HashMap<>();
        for (int segment : trace) {
            keys.add("seg-" + segment);
            sizeOf.put("seg-" + segment, sizes[segment]);
        }
        return replay(policy, keys, sizeOf, cacheBytes);
    }

    /** Requests {@code keys} in order from the edge's cache, each object of {@code sizeOf} bytes; counts hits and reads. */
    static Result replay(CachePolicy policy, List<String> keys, java.util.Map<String, Integer> sizeOf, long cacheBytes) {
        AtomicLong reads = new AtomicLong();
        AtomicLong bytesRead = new AtomicLong();
        SegmentCache cache = new SegmentCache(policy, cacheBytes, key -> {
            int size = sizeOf.get(key);
            reads.incrementAndGet();
            bytesRead.addAndGet(size);
            return new StoredObject(key, new byte[size], "\"e\"", Instant.EPOCH);
        }, Runnable::run, new SimpleMeterRegistry());
        long hits = 0;
        long requested = 0;
        for (String key : keys) {
            requested += sizeOf.get(key);
            if (cache.get(key, null).join().hit()) {
                hits++;
            }
        }
        return new Result(policy, keys.size(), hits, reads.get(), bytesRead.get(), requested);
    }

    /** Each segment is one rung of some video: sizes drawn from the rungs with +-20% variation. */
    private static int[] segmentSizes(long seed) {
        Random random = new Random(seed);
        int[] sizes = new int[SEGMENTS];
        for (int i = 0; i < SEGMENTS; i++) {
            int rung = RUNG_BYTES[random.nextInt(RUNG_BYTES.length)];
            sizes[i] = (int) (rung * (0.8 + 0.4 * random.nextDouble()));
        }
        return sizes;
    }

    /** Ranks 1..N with P(k) proportional to 1/k^s, mapped to shuffled segment ids so popularity is not size-ordered. */
    private static int[] zipfTrace(int requests, long seed) {
        Random random = new Random(seed + 1);
        double[] cumulative = new double[SEGMENTS];
        double sum = 0;
        for (int k = 1; k <= SEGMENTS; k++) {
            sum += 1.0 / Math.pow(k, ZIPF_EXPONENT);
            cumulative[k - 1] = sum;
        }
        int[] segmentOfRank = new int[SEGMENTS];
        for (int i = 0; i < SEGMENTS; i++) {
            segmentOfRank[i] = i;
        }
        for (int i = SEGMENTS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = segmentOfRank[i];
            segmentOfRank[i] = segmentOfRank[j];
            segmentOfRank[j] = t;
        }
        int[] trace = new int[requests];
        for (int r = 0; r < requests; r++) {
            double u = random.nextDouble() * sum;
            int index = java.util.Arrays.binarySearch(cumulative, u);
            trace[r] = segmentOfRank[index >= 0 ? index : -index - 1];
        }
        return trace;
    }
}
