package dev.reel.edge.bench;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.LocalCluster;
import dev.reel.cluster.Ports;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What CMCD costs an edge per request, in one run: the same edge (child JVM, real Kafka and S3, warm cache) answers the
 * same small segments (16 KiB, so the per-request work dominates and the parsing weighs most) requested by wrk with
 * the {@code CMCD} query argument hls.js sends (parsed, and the richer {@code segment.served} written) and without it
 * (nothing to parse, the plain event), alternating, several repetitions; the cost ratio is requests/s without over
 * requests/s with.
 *
 * <pre>infra/mvn -B -q -pl edge-server -am install -DskipTests
 * infra/mvn -B -q -pl edge-server exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.reel.edge.bench.CmcdCostBenchmark \
 *     [-Dexec.args="repetitions seconds connections"]</pre>
 * Needs {@code wrk} (apt-get install -y wrk).
 */
public final class CmcdCostBenchmark {

    private static final int SEGMENTS = 64;
    private static final int SEGMENT_BYTES = 16 * 1024;

    private CmcdCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Path moduleDir = ThroughputBenchmark.moduleDir();
        Path runDir = Files.createTempDirectory(Files.createDirectories(moduleDir.resolve("target")), "cmcd-bench-");
        String videoId = "benchCmcd01";
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.forTests(runDir.resolve("cluster"), 1))) {
            ChildProcess edge = null;
            try {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                    new TopicBootstrap(admin, 1).ensure(Topics.all());
                }
                List<String> plain = ThroughputBenchmark.writeSegments(cluster, runDir.resolve("www"), videoId, SEGMENTS,
                        SEGMENT_BYTES);
                ThroughputBenchmark.publish(cluster.bootstrapServers(), videoId, SEGMENTS);
                List<String> tagged = new ArrayList<>();
                for (int i = 0; i < plain.size(); i++) {
                    // what hls.js 1.7 sends for a media segment (keys sorted, v1, URL-encoded), one session per 8 segments
                    String cmcd = "bl=%d,br=2100,cid=\"%s\",d=4000,dl=%d,mtp=25400,ot=v,sf=h,sid=\"%s\",st=v,su,tb=2100"
                            .formatted(8_000 + 100 * i, videoId, 8_000 + 100 * i, "0f3c9a1e-77b2-4c1d-9e2f-" + (i / 8));
                    tagged.add(plain.get(i) + "?CMCD=" + URLEncoder.encode(cmcd, StandardCharsets.UTF_8));
                }
                int port = Ports.free();
                edge = ThroughputBenchmark.edge(moduleDir, cluster, runDir, port);
                edge.start();
                String base = "http://127.0.0.1:" + port;
                HttpClient http = HttpClient.newHttpClient();
                Await.until("edge ready", Duration.ofMinutes(2), () -> ThroughputBenchmark.status(http, base + "/readyz") == 200
                        && ThroughputBenchmark.status(http, base + tagged.get(0)) == 200, List.of(edge));
                for (String path : plain) {
                    ThroughputBenchmark.status(http, base + path); // warm the cache
                }
                Path withoutScript = ThroughputBenchmark.writeWrkScript(runDir, plain, "plain.lua");
                Path withScript = ThroughputBenchmark.writeWrkScript(runDir, tagged, "cmcd.lua");
                ThroughputBenchmark.wrk(withoutScript, base, seconds, connections); // JIT warm-up, discarded
                ThroughputBenchmark.wrk(withScript, base, seconds, connections);
                List<Double> without = new ArrayList<>();
                List<Double> with = new ArrayList<>();
                for (int r = 1; r <= repetitions; r++) {
                    boolean plainFirst = r % 2 == 1;
                    double a = ThroughputBenchmark.wrk(plainFirst ? withoutScript : withScript, base, seconds, connections);
                    double b = ThroughputBenchmark.wrk(plainFirst ? withScript : withoutScript, base, seconds, connections);
                    without.add(plainFirst ? a : b);
                    with.add(plainFirst ? b : a);
                    System.out.printf(Locale.ROOT, "rep %d: without CMCD %.0f req/s, with CMCD %.0f req/s, cost %.3f%n", r,
                            without.getLast(), with.getLast(), without.getLast() / with.getLast());
                }
                double plainMedian = ThroughputBenchmark.median(without);
                double cmcdMedian = ThroughputBenchmark.median(with);
                System.out.printf(Locale.ROOT, "CMCD COST wrk -t2 -c%d -d%ds, %d x %d KiB segments, warm cache, median of %d: "
                        + "without %.0f req/s, with %.0f req/s, request cost with / without = %.3f%n", connections, seconds,
                        SEGMENTS, SEGMENT_BYTES / 1024, repetitions, plainMedian, cmcdMedian, plainMedian / cmcdMedian);
            } finally {
                if (edge != null) {
                    edge.stop(Duration.ofSeconds(20)); // drains its playback events into a live Kafka
                }
            }
        }
    }
}
