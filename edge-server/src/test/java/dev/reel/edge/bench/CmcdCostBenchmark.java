package dev.reel.edge.bench;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.LocalCluster;
import dev.reel.cluster.Ports;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What CMCD costs an edge per request, in one run: the same edge (child JVM, real Kafka and S3, warm cache) answers the
 * same segments (16 KiB by default, so the per-request work dominates and the parsing weighs most) requested by wrk in
 * six loads that take turns, several repetitions: without CMCD (nothing to parse, the plain event); with a query
 * argument as long as the player's CMCD that nothing reads (what the longer request line alone costs); with the
 * {@code CMCD} argument of the keys Reel's watch page sends ({@code includeKeys} in {@code player.js}), parsed and
 * written into the richer {@code segment.served}; with every CMCD v1 key hls.js 1.7 sends by default; and the
 * player's keys as request headers ({@code cmcd.useHeaders}, as the watch page sends them), once under names nothing
 * reads (what the header lines alone cost) and once as the {@code CMCD-*} headers the edge reads. The cost of a
 * request is the CPU time the edge process spent (utime + stime from {@code /proc/<pid>/stat}) divided by the requests
 * wrk got answered; each load is compared with the load without CMCD of the same repetition (they ran back to back),
 * and the median of those ratios is reported. Throughput is printed too. Then the work CMCD changes is timed in this JVM
 * ({@link #inProcess}), without the network's noise.
 *
 * <pre>infra/mvn -B -q -pl edge-server -am install -DskipTests
 * taskset -c 1 infra/mvn -B -q -pl edge-server exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.reel.edge.bench.CmcdCostBenchmark -Dbench.edgeCpus=0 \
 *     [-Dexec.args="repetitions seconds connections segmentKiB"] [-Dbench.headers=browser] [-Dbench.jfr=folder]</pre>
 * Needs {@code wrk} (apt-get install -y wrk). {@code bench.edgeCpus} pins the edge to those cores, and {@code taskset}
 * the rest (wrk, Kafka, S3) to another, so that they do not take turns on the edge's core: on 2 shared cores the
 * repetitions spread far less. {@code bench.headers=browser} sends the headers Chromium sends with hls.js's requests
 * (wrk alone sends none). With {@code bench.jfr}, the first repetition of each load is recorded (JFR, 1 ms samples)
 * into that folder.
 */
public final class CmcdCostBenchmark {

    private static final int SEGMENTS = 64;

    /**
     * What Chromium 131 sends with hls.js's request for a segment of the watch page (same origin), besides {@code Host}:
     * with {@code -Dbench.headers=browser}, every load carries them, as a viewer's requests do (wrk alone sends none).
     */
    private static final Map<String, String> CHROMIUM_HEADERS = Map.ofEntries(Map.entry("Accept", "*/*"),
            Map.entry("Accept-Encoding", "gzip, deflate, br, zstd"), Map.entry("Accept-Language", "en-US,en;q=0.9"),
            Map.entry("Referer", "http://localhost:8080/watch/benchCmcd01"), Map.entry("Sec-Fetch-Dest", "empty"),
            Map.entry("Sec-Fetch-Mode", "cors"), Map.entry("Sec-Fetch-Site", "same-origin"),
            Map.entry("User-Agent",
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
            Map.entry("sec-ch-ua", "\"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\""), Map.entry("sec-ch-ua-mobile", "?0"),
            Map.entry("sec-ch-ua-platform", "\"Linux\""));

    /** USER_HZ: the unit of the CPU times in /proc (100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    /** What the requests carry. */
    private enum Load {
        WITHOUT_CMCD("without CMCD"),
        /** A query argument as long as the player's CMCD, that nothing reads: what the longer request line costs. */
        SAME_LENGTH_NOT_CMCD("same length, not CMCD"), PLAYER_KEYS("Reel's player keys"), HLS_JS_DEFAULT_KEYS(
                "hls.js default keys"),
        /** The player's keys in headers named like CMCD's that nothing reads: what the header lines cost. */
        SAME_HEADERS_NOT_CMCD("same headers, not CMCD"),
        /** The player's keys as hls.js sends them with {@code useHeaders}: sharded over the {@code CMCD-*} headers. */
        PLAYER_KEYS_AS_HEADERS("Reel's player keys as headers");

        final String label;

        Load(String label) {
            this.label = label;
        }

        /**
         * The query of the {@code i}th segment request: the CMCD as hls.js 1.7 writes it for a demuxed video segment
         * (keys sorted, v1, URL-encoded), one session (22 base64url characters, as the watch page's) per 8 segments.
         */
        String query(int i, String videoId) {
            long buffer = buffer(i);
            String session = session(i);
            String startup = startup(i) ? ",su" : "";
            String playerKeys = "bl=%d,br=2100,cid=\"%s\",mtp=25400,ot=v,sid=\"%s\"%s".formatted(buffer, videoId, session,
                    startup);
            return switch (this) {
                case WITHOUT_CMCD, SAME_HEADERS_NOT_CMCD, PLAYER_KEYS_AS_HEADERS -> "";
                case SAME_LENGTH_NOT_CMCD -> "?XMCD=" + URLEncoder.encode(playerKeys, StandardCharsets.UTF_8);
                case PLAYER_KEYS -> "?CMCD=" + URLEncoder.encode(playerKeys, StandardCharsets.UTF_8);
                case HLS_JS_DEFAULT_KEYS -> "?CMCD=" + URLEncoder.encode(("bl=%d,br=2100,cid=\"%s\",d=4000,dl=%d,mtp=25400,"
                        + "nor=\"seg-%05d.m4s\",ot=v,rtp=10500,sf=h,sid=\"%s\",st=v%s").formatted(buffer, videoId, buffer, i + 2,
                                session, startup),
                        StandardCharsets.UTF_8);
            };
        }

        /** The CMCD headers of the {@code i}th request: the player's keys as hls.js 1.7 shards them. */
        Map<String, String> headers(int i, String videoId) {
            if (this != SAME_HEADERS_NOT_CMCD && this != PLAYER_KEYS_AS_HEADERS) {
                return Map.of();
            }
            String prefix = this == PLAYER_KEYS_AS_HEADERS ? "CMCD-" : "XMCD-";
            return Map.of(prefix + "Object", "br=2100,ot=v",
                    prefix + "Request", "bl=%d,mtp=25400%s".formatted(buffer(i), startup(i) ? ",su" : ""),
                    prefix + "Session", "cid=\"%s\",sid=\"%s\"".formatted(videoId, session(i)));
        }

        /** This load's request for each of the segments, with the headers every request carries besides its own. */
        List<ThroughputBenchmark.WrkRequest> requests(List<String> segments, String videoId, Map<String, String> headers) {
            List<ThroughputBenchmark.WrkRequest> requests = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                Map<String, String> all = new HashMap<>(headers);
                all.putAll(headers(i, videoId));
                requests.add(new ThroughputBenchmark.WrkRequest(segments.get(i) + query(i, videoId), all));
            }
            return requests;
        }

        private static long buffer(int i) {
            return 8_000 + 100L * i;
        }

        /** One session (22 base64url characters, as the watch page's) per 8 segments, the first of them a startup request. */
        private static String session(int i) {
            return "Qx7fK2mZp9LwR4tY%06d".formatted(i / 8);
        }

        private static boolean startup(int i) {
            return i % 8 == 0;
        }
    }

    private CmcdCostBenchmark() {
    }

    /** utime + stime of a process, in clock ticks. */
    private static long cpuTicks(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of proc(5)
    }

    /** Runs {@code jcmd} against the edge (the same JDK's), for a flight recording of one load. */
    private static void jcmd(long pid, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        line.addAll(List.of(command));
        run(line.toArray(String[]::new));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }

    public static void main(String[] args) throws Exception {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int segmentBytes = (args.length > 3 ? Integer.parseInt(args[3]) : 16) * 1024;
        String jfr = System.getProperty("bench.jfr");
        Map<String, String> headers = "browser".equals(System.getProperty("bench.headers")) ? CHROMIUM_HEADERS : Map.of();
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
                int port = Ports.free();
                edge = ThroughputBenchmark.edge(moduleDir, cluster, runDir, port);
                edge.start();
                String edgeCpus = System.getProperty("bench.edgeCpus");
                if (edgeCpus != null) { // every thread of the edge, and those it starts later, on these cores only
                    run("taskset", "-a", "-p", "-c", edgeCpus, Long.toString(edge.pid()));
                }
                String base = "http://127.0.0.1:" + port;
                HttpClient http = HttpClient.newHttpClient();
                Await.until("edge ready", Duration.ofMinutes(2), () -> ThroughputBenchmark.status(http, base + "/readyz") == 200
                        && ThroughputBenchmark.status(http, base + plain.getFirst()) == 200, List.of(edge));
                for (String path : plain) {
                    ThroughputBenchmark.status(http, base + path); // warm the cache
                }
                Map<Load, Path> scripts = new EnumMap<>(Load.class);
                for (Load load : Load.values()) {
                    scripts.put(load, ThroughputBenchmark.writeWrkRequests(runDir, load.requests(plain, videoId, headers),
                            load.name() + ".lua"));
                    ThroughputBenchmark.wrk(scripts.get(load), base, Math.max(seconds, 10), connections); // JIT warm-up
                }
                Map<Load, List<Double>> throughput = new EnumMap<>(Load.class);
                Map<Load, List<Double>> cpu = new EnumMap<>(Load.class);
                for (Load load : Load.values()) {
                    throughput.put(load, new ArrayList<>());
                    cpu.put(load, new ArrayList<>());
                }
                Load[] loads = Load.values();
                for (int r = 1; r <= repetitions; r++) {
                    for (int k = 0; k < loads.length; k++) {
                        Load load = loads[(k + r - 1) % loads.length]; // each load goes first in turn
                        boolean recorded = jfr != null && r == 1;
                        if (recorded) {
                            jcmd(edge.pid(), "JFR.start", "name=bench", "settings=profile", "jdk.ExecutionSample#period=1ms");
                        }
                        long cpuBefore = cpuTicks(edge.pid());
                        ThroughputBenchmark.WrkRun run = ThroughputBenchmark.wrkRun(scripts.get(load), base, seconds,
                                connections);
                        cpu.get(load).add((cpuTicks(edge.pid()) - cpuBefore) * 1e6 / TICKS_PER_SECOND / run.requests());
                        throughput.get(load).add(run.requestsPerSecond());
                        if (recorded) {
                            jcmd(edge.pid(), "JFR.stop", "name=bench",
                                    "filename=" + Path.of(jfr).toAbsolutePath().resolve(load.name() + ".jfr"));
                        }
                    }
                    StringBuilder line = new StringBuilder("rep " + r + ":");
                    for (Load load : loads) {
                        line.append(String.format(Locale.ROOT, " %s %.0f req/s %.1f us CPU/req (%.3f);", load.label,
                                throughput.get(load).getLast(), cpu.get(load).getLast(),
                                cpu.get(load).getLast() / cpu.get(Load.WITHOUT_CMCD).getLast()));
                    }
                    System.out.println(line);
                }
                double plainCpu = ThroughputBenchmark.median(cpu.get(Load.WITHOUT_CMCD));
                for (Load load : Arrays.copyOfRange(loads, 1, loads.length)) {
                    // the median of each repetition's ratio: a repetition's loads ran back to back, under the same load
                    List<Double> ratios = new ArrayList<>();
                    for (int r = 0; r < repetitions; r++) {
                        ratios.add(cpu.get(load).get(r) / cpu.get(Load.WITHOUT_CMCD).get(r));
                    }
                    System.out.printf(Locale.ROOT, "CMCD COST (%s) wrk -t2 -c%d -d%ds, %d x %d KiB segments, warm cache, "
                            + "median of %d: edge CPU per request without %.1f us, with %.1f us, cost with / without = %.3f "
                            + "(median of the repetitions' ratios; throughput without %.0f req/s, with %.0f req/s)%n",
                            load.label, connections, seconds, SEGMENTS, segmentBytes / 1024, repetitions, plainCpu,
                            ThroughputBenchmark.median(cpu.get(load)), ThroughputBenchmark.median(ratios),
                            ThroughputBenchmark.median(throughput.get(Load.WITHOUT_CMCD)),
                            ThroughputBenchmark.median(throughput.get(load)));
                }
                edge.stop(Duration.ofSeconds(20));
                edge = null;
                inProcess(plain, videoId, headers, repetitions, cpu.get(Load.WITHOUT_CMCD));
            } finally {
                if (edge != null) {
                    edge.stop(Duration.ofSeconds(20)); // drains its playback events into a live Kafka
                }
            }
        }
    }

    /**
     * The work CMCD changes, timed in this JVM ({@link RequestWork}: the request head read by Jetty's parser, the CMCD
     * read, the event made and serialized), with the request head in a direct buffer (Jetty's default) and in a heap
     * buffer (the edge's connector): what each load adds to a request over the load without CMCD, the median of the
     * rounds (the loads take turns going first). The kernel's part of a request does not change with CMCD (the same
     * packets, ~115 bytes longer), so the added work over the edge's whole CPU per request without CMCD, measured with
     * wrk above, models the cost with the network's noise left out.
     */
    private static void inProcess(List<String> plain, String videoId, Map<String, String> headers, int rounds,
            List<Double> wrkCpuWithout) {
        int perRound = Integer.getInteger("bench.localRequests", 200_000);
        double base = ThroughputBenchmark.median(wrkCpuWithout) * 1_000;
        Load[] loads = Load.values();
        for (RequestWork.Buffer kind : RequestWork.Buffer.values()) {
            RequestWork work = new RequestWork();
            Map<Load, List<ByteBuffer>> requests = new EnumMap<>(Load.class);
            for (Load load : loads) {
                List<byte[]> list = load.requests(plain, videoId, headers).stream()
                        .map(request -> RequestWork.request(request.path(), request.headers())).toList();
                requests.put(load, RequestWork.buffers(list, kind));
                work.nanosPerRequest(requests.get(load), 5 * perRound); // JIT warm-up
            }
            Map<Load, List<Double>> nanos = new EnumMap<>(Load.class);
            Map<Load, List<Double>> added = new EnumMap<>(Load.class);
            for (Load load : loads) {
                nanos.put(load, new ArrayList<>());
                added.put(load, new ArrayList<>());
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < loads.length; k++) {
                    Load load = loads[(k + r) % loads.length];
                    nanos.get(load).add(work.nanosPerRequest(requests.get(load), perRound));
                }
                for (Load load : loads) {
                    added.get(load).add(nanos.get(load).getLast() - nanos.get(Load.WITHOUT_CMCD).getLast());
                }
            }
            for (Load load : Arrays.copyOfRange(loads, 1, loads.length)) {
                double median = ThroughputBenchmark.median(added.get(load));
                System.out.printf(Locale.ROOT, "CMCD WORK IN PROCESS (%s, %s buffer) %d rounds of %d requests: head, CMCD "
                        + "and event %.0f ns a request without, %.0f ns with, added %.0f ns (quartiles %.0f-%.0f); over the "
                        + "edge's %.1f us a request with wrk: cost with / without = %.3f%n", load.label,
                        kind.name().toLowerCase(Locale.ROOT), rounds, perRound,
                        ThroughputBenchmark.median(nanos.get(Load.WITHOUT_CMCD)), ThroughputBenchmark.median(nanos.get(load)),
                        median, quantile(added.get(load), 0.25), quantile(added.get(load), 0.75), base / 1_000,
                        1 + median / base);
            }
        }
    }

    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.round(q * (sorted.size() - 1)));
    }
}
