package dev.reel.edge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.edge.cache.CachePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replays the {@code segment.served} events of a real run (a JSON-lines file of {@code reel.playback} events, as the
 * end-to-end suite writes to {@code infra/e2e/target/test-artifacts/segment-served.jsonl}) through the edge's cache with
 * W-TinyLFU and with LRU: each edge's own requests, in event-time order, as that edge saw them (HAProxy's URI hash
 * gives each object one edge), at several cache sizes, as shares of the bytes that edge served. An object's size is
 * the largest response seen for it (a range answer sends less); a cache holds at least the largest object. Not a timed
 * test: a measurement to read.
 *
 * <pre>infra/java -cp edge-server/target/test-classes:edge-server/target/classes:$(cat edge-server/target/service.classpath) \
 *     dev.reel.edge.bench.TraceReplay infra/e2e/target/test-artifacts/segment-served.jsonl</pre>
 */
public final class TraceReplay {

    private static final double[] CACHE_SHARES = {0.10, 0.25, 0.50, 0.75};

    private TraceReplay() {
    }

    private record Request(String edge, String time, String key) {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Request> requests = new ArrayList<>();
        Map<String, Integer> sizeOf = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            JsonNode event = json.readTree(line);
            if (!"reel.segment.served".equals(event.path("type").asText())) {
                continue;
            }
            JsonNode data = event.get("data");
            String key = data.get("videoId").asText() + "/" + data.get("rendition").asText() + "/" + data.get("file").asText();
            if (key.endsWith(".m3u8")) {
                continue; // playlists are re-read on a short TTL, not kept by policy
            }
            sizeOf.merge(key, (int) Math.max(1, data.get("bytes").asLong()), Math::max);
            requests.add(new Request(data.get("edge").asText(), event.get("time").asText(), key));
        }
        requests.sort(java.util.Comparator.comparing(Request::time));
        Map<String, List<String>> byEdge = new LinkedHashMap<>();
        requests.forEach(r -> byEdge.computeIfAbsent(r.edge(), e -> new ArrayList<>()).add(r.key()));
        byEdge.put("all edges as one", requests.stream().map(Request::key).toList());
        System.out.printf(Locale.ROOT, "%d segment requests for %d objects (%.1f MB) from %s%n", requests.size(),
                sizeOf.size(), sizeOf.values().stream().mapToLong(Integer::longValue).sum() / 1e6, args[0]);
        System.out.println("| edge | requests | cache (share of its bytes) | W-TinyLFU hits | LRU hits | W-TinyLFU byte hits | "
                + "LRU byte hits |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<String>> edge : byEdge.entrySet()) {
            long uniqueBytes = edge.getValue().stream().distinct().mapToLong(sizeOf::get).sum();
            long largest = edge.getValue().stream().mapToLong(sizeOf::get).max().orElse(1);
            for (double share : CACHE_SHARES) {
                long cacheBytes = Math.max(largest, (long) (uniqueBytes * share)); // at least one object fits
                HitRatioBenchmark.Result tinyLfu = HitRatioBenchmark.replay(CachePolicy.TINY_LFU, edge.getValue(), sizeOf,
                        cacheBytes);
                HitRatioBenchmark.Result lru = HitRatioBenchmark.replay(CachePolicy.LRU, edge.getValue(), sizeOf, cacheBytes);
                System.out.printf(Locale.ROOT, "| %s | %d | %.0f%% (%.1f MB) | %.2f%% | %.2f%% | %.2f%% | %.2f%% |%n",
                        edge.getKey(), edge.getValue().size(), share * 100, cacheBytes / 1e6, tinyLfu.hitRatio() * 100,
                        lru.hitRatio() * 100, tinyLfu.byteHitRatio() * 100, lru.byteHitRatio() * 100);
            }
        }
    }
}
