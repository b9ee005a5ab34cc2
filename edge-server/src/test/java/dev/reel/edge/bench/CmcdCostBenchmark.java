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
 * same segments (16 KiB by default, so the per-request work dominates and the parsing weighs most) requested by wrk with
 * the {@code CMCD} query argument hls.js sends (parsed, and the richer {@code segment.served} written) and without it
 * (nothing to parse, the plain event), alternating, several repetitions. The cost of a request is the CPU time the edge
 * process spent (utime + stime from {@code /proc/<pid>/stat}) divided by the requests wrk got answered: on a machine
 * shared with other work, throughput swings with their load, CPU per request much less. Throughput is printed too.
 *
 * <pre>infra/mvn -B -q -pl edge-server -am install -DskipTests
 * infra/mvn -B -q -pl edge-server exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.reel.edge.bench.CmcdCostBenchmark \
 *     [-Dexec.args="repetitions seconds connections segmentKiB"]</pre>
 * Needs {@code wrk} (apt-get install -y wrk).
 */
public final class CmcdCostBenchmark {

    private static final int SEGMENTS = 64;

    /** USER_HZ: the unit of the CPU times in /proc (100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    private CmcdCostBenchmark() {
    }

    /** utime + stime of a process, in clock ticks. */
    private static long cpuTicks(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of proc(5)
    }

    public static void main(String[] args) throws Exception {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int segmentBytes = (args.length > 3 ? Integer.parseInt(args[3]) : 16) * 1024;
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
                        segmentBytes);
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
                List<Double> withoutCpu = new ArrayList<>();
                List<Double> withCpu = new ArrayList<>();
                for (int r = 1; r <= repetitions; r++) {
                    boolean plainFirst = r % 2 == 1;
                    for (boolean cmcd : plainFirst ? new boolean[]{false, true} : new boolean[]{true, false}) {
                        long cpuBefore = cpuTicks(edge.pid());
                        ThroughputBenchmark.WrkRun run = ThroughputBenchmark.wrkRun(cmcd ? withScript : withoutScript, base,
                                seconds, connections);
                        double micros = (cpuTicks(edge.pid()) - cpuBefore) * 1e6 / TICKS_PER_SECOND / run.requests();
                        (cmcd ? with : without).add(run.requestsPerSecond());
                        (cmcd ? withCpu : withoutCpu).add(micros);
                    }
                    System.out.printf(Locale.ROOT,
                            "rep %d: without CMCD %.0f req/s %.1f us CPU/req, with CMCD %.0f req/s %.1f us "
                                    + "CPU/req, cost %.3f%n",
                            r, without.getLast(), withoutCpu.getLast(), with.getLast(),
                            withCpu.getLast(), withCpu.getLast() / withoutCpu.getLast());
                }
                double plainCpu = ThroughputBenchmark.median(withoutCpu);
                double cmcdCpu = ThroughputBenchmark.median(withCpu);
                System.out.printf(Locale.ROOT, "CMCD COST wrk -t2 -c%d -d%ds, %d x %d KiB segments, warm cache, median of %d: "
                        + "edge CPU per request without %.1f us, with %.1f us, cost with / without = %.3f (throughput without "
                        + "%.0f req/s, with %.0f req/s)%n", connections, seconds, SEGMENTS, segmentBytes / 1024, repetitions,
                        plainCpu, cmcdCpu, cmcdCpu / plainCpu, ThroughputBenchmark.median(without),
                        ThroughputBenchmark.median(with));
            } finally {
                if (edge != null) {
                    edge.stop(Duration.ofSeconds(20)); // drains its playback events into a live Kafka
                }
            }
        }
    }
}
