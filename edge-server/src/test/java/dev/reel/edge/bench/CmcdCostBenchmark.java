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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What CMCD costs an edge per request, in one run: the same edge (child JVM, real Kafka and S3, warm cache) answers the
 * same segments (16 KiB by default, so the per-request work dominates and the parsing weighs most; or, given two
 * sizes, audio and video segments in turn, as a viewer's session asks for them), requested by wrk in these loads: without CMCD (nothing to parse, the plain event); with a query argument as long as the player's CMCD
 * that nothing reads (what the longer request line alone costs); with the {@code CMCD} argument of the keys Reel's
 * watch page sends ({@code includeKeys} in {@code player.js}), parsed and written into the richer
 * {@code segment.served}; with every CMCD v1 key hls.js 1.7 sends by default; and the player's keys as request headers
 * ({@code cmcd.useHeaders}), once under names nothing reads (what the header lines alone cost) and once as the
 * {@code CMCD-*} headers the edge reads.
 *
 * <p>The cost of a request is the CPU time the edge process spent (utime + stime from {@code /proc/<pid>/stat}) divided
 * by the requests wrk got answered. On this shared machine the speed of the cores drifts from second to second (other
 * tenants), so every load runs between two runs of the load without CMCD and is compared with their mean; the median of
 * the repetitions' ratios is reported. (Two edges answering the two loads at the same time on the same core, tried on
 * 2 Dec 2026, cost 2-3 times as much CPU a request as one edge alone, from switching between the two processes: that
 * measures something else.) Then the work CMCD changes is timed in this JVM ({@link #inProcess}), without the network.
 *
 * <pre>infra/mvn -B -q -pl edge-server -am install -DskipTests
 * taskset -c 1 infra/mvn -B -q -pl edge-server exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.reel.edge.bench.CmcdCostBenchmark -Dbench.edgeCpus=0 \
 *     [-Dexec.args="repetitions seconds connections segmentKiB[,videoSegmentKiB]"] [-Dbench.headers=browser] [-Dbench.loads=PLAYER_KEYS] \
 *     [-Dbench.jfr=folder]</pre>
 * Needs {@code wrk} (apt-get install -y wrk). {@code bench.edgeCpus} pins the edge to those cores, and {@code taskset}
 * the rest (wrk, Kafka, S3) to another, so that they do not take turns on the edge's core: on 2 shared cores the
 * repetitions spread far less. {@code bench.headers=browser} sends the headers Chromium sends with hls.js's requests
 * (wrk alone sends none). {@code bench.loads} (names of {@link Load}, comma-separated) measures only those loads besides
 * the one without CMCD: fewer loads, more repetitions in the same time. With {@code bench.jfr}, the first run of each load is recorded (JFR, 1 ms samples) into
 * that folder.
 */
public final class CmcdCostBenchmark {

    private static final int SEGMENTS = 64;

    /**
     * What Chromium 131 sends with hls.js's request for a segment of the watch page (same origin), besides {@code Host}:
     * with {@code -Dbench.headers=browser}, every load carries them, as a viewer's requests do (wrk alone sends none).
     */
    private static final Map<String, String> CHROMIUM_HEADERS = Map.ofEntries(Map.entry("Accept", "*/*"),
            Map.entry("Accept-Encoding", "gzip, deflate, br, zstd"), Map.entry("Accept-Language", "en-US,en;q=0.9"),
            Map.entry("Referer", "http://localhost:8080/watch/benchCmcd01Qx7fK2mZp9Lw"), Map.entry("Sec-Fetch-Dest", "empty"),
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
         * The query of the {@code i}th segment request: the CMCD as hls.js 1.7 writes it for a demuxed video or audio
         * segment (keys sorted, v1, URL-encoded), one session (22 base64url characters, as the watch page's) per 8
         * segments.
         */
        String query(int i, Segment segment, String videoId) {
            long buffer = buffer(i);
            String session = session(i);
            String startup = startup(i) ? ",su" : "";
            String playerKeys = "bl=%d,br=%d,cid=\"%s\",mtp=25400,ot=%s,sid=\"%s\"%s".formatted(buffer,
                    segment.bitrateKbps(), videoId, segment.objectType(), session, startup);
            return switch (this) {
                case WITHOUT_CMCD, SAME_HEADERS_NOT_CMCD, PLAYER_KEYS_AS_HEADERS -> "";
                case SAME_LENGTH_NOT_CMCD -> "?XMCD=" + URLEncoder.encode(playerKeys, StandardCharsets.UTF_8);
                case PLAYER_KEYS -> "?CMCD=" + URLEncoder.encode(playerKeys, StandardCharsets.UTF_8);
                case HLS_JS_DEFAULT_KEYS -> "?CMCD=" + URLEncoder.encode(("bl=%d,br=%d,cid=\"%s\",d=4000,dl=%d,mtp=25400,"
                        + "nor=\"seg-%05d.m4s\",ot=%s,rtp=10500,sf=h,sid=\"%s\",st=v%s").formatted(buffer, segment.bitrateKbps(),
                                videoId, buffer, i + 2, segment.objectType(), session, startup),
                        StandardCharsets.UTF_8);
            };
        }

        /** The CMCD headers of the {@code i}th request: the player's keys as hls.js 1.7 shards them. */
        Map<String, String> headers(int i, Segment segment, String videoId) {
            if (this != SAME_HEADERS_NOT_CMCD && this != PLAYER_KEYS_AS_HEADERS) {
                return Map.of();
            }
            String prefix = this == PLAYER_KEYS_AS_HEADERS ? "CMCD-" : "XMCD-";
            return Map.of(prefix + "Object", "br=%d,ot=%s".formatted(segment.bitrateKbps(), segment.objectType()),
                    prefix + "Request", "bl=%d,mtp=25400%s".formatted(buffer(i), startup(i) ? ",su" : ""),
                    prefix + "Session", "cid=\"%s\",sid=\"%s\"".formatted(videoId, session(i)));
        }

        /** This load's request for each of the segments, with the headers every request carries besides its own. */
        List<ThroughputBenchmark.WrkRequest> requests(List<Segment> segments, String videoId, Map<String, String> headers) {
            List<ThroughputBenchmark.WrkRequest> requests = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                Map<String, String> all = new HashMap<>(headers);
                Segment segment = segments.get(i);
                all.putAll(headers(i, segment, videoId));
                requests.add(new ThroughputBenchmark.WrkRequest(segment.path() + query(i, segment, videoId), all));
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

    /**
     * A segment as the player asks for it: its CMCD object type, and its bit rate as a 4 s segment of its size (the
     * ladder's segment length).
     */
    record Segment(String path, String objectType, long bitrateKbps) {

        /**
         * The segments written, their sizes taken from {@code sizesKiB} in turn: with two sizes, a session of demuxed
         * audio and video (hls.js asks for an audio segment and a video segment for each 4 s), else video segments.
         */
        static List<Segment> of(List<String> paths, int[] sizesKiB) {
            List<Segment> segments = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                int kib = sizesKiB[i % sizesKiB.length];
                String type = sizesKiB.length == 2 && i % 2 == 0 ? "a" : "v";
                segments.add(new Segment(paths.get(i), type, Math.round(kib * 1024 * 8 / 4_000.0)));
            }
            return segments;
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
        int[] segmentKiB = Arrays.stream((args.length > 3 ? args[3] : "16").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        String jfr = System.getProperty("bench.jfr");
        Load[] loads = loads(System.getProperty("bench.loads"));
        Map<String, String> headers = "browser".equals(System.getProperty("bench.headers")) ? CHROMIUM_HEADERS : Map.of();
        Path moduleDir = ThroughputBenchmark.moduleDir();
        Path runDir = Files.createTempDirectory(Files.createDirectories(moduleDir.resolve("target")), "cmcd-bench-");
        String videoId = "benchCmcd01Qx7fK2mZp9Lw"; // 22 characters, as ingest's video ids
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.forTests(runDir.resolve("cluster"), 1))) {
            ChildProcess edge = null;
            try {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                    new TopicBootstrap(admin, 1).ensure(Topics.all());
                }
                List<String> plain = ThroughputBenchmark.writeSegments(cluster, runDir.resolve("www"), videoId, SEGMENTS,
                        Arrays.stream(segmentKiB).map(kib -> kib * 1024).toArray());
                List<Segment> segments = Segment.of(plain, segmentKiB);
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
                for (Load load : loads) {
                    scripts.put(load, ThroughputBenchmark.writeWrkRequests(runDir, load.requests(segments, videoId, headers),
                            load.name() + ".lua"));
                    ThroughputBenchmark.wrk(scripts.get(load), base, Math.max(seconds, 10), connections); // JIT warm-up
                }
                Load[] tagged = Arrays.copyOfRange(loads, 1, loads.length);
                Map<Load, List<Double>> ratios = new EnumMap<>(Load.class);
                Map<Load, List<Double>> cpu = new EnumMap<>(Load.class);
                for (Load load : Load.values()) {
                    ratios.put(load, new ArrayList<>());
                    cpu.put(load, new ArrayList<>());
                }
                for (int r = 1; r <= repetitions; r++) {
                    StringBuilder line = new StringBuilder("rep " + r + ":");
                    // each load runs between two loads without CMCD, and is compared with their mean: the machine's
                    // speed drifts from second to second, and the loads on either side drifted with it
                    EdgeRun before = measure(edge, scripts.get(Load.WITHOUT_CMCD), base, seconds, connections,
                            recording(jfr, r, Load.WITHOUT_CMCD));
                    cpu.get(Load.WITHOUT_CMCD).add(before.cpuMicrosPerRequest());
                    for (int k = 0; k < tagged.length; k++) {
                        Load load = tagged[(k + r - 1) % tagged.length]; // each load goes first in turn
                        EdgeRun with = measure(edge, scripts.get(load), base, seconds, connections, recording(jfr, r, load));
                        EdgeRun after = measure(edge, scripts.get(Load.WITHOUT_CMCD), base, seconds, connections, null);
                        cpu.get(load).add(with.cpuMicrosPerRequest());
                        cpu.get(Load.WITHOUT_CMCD).add(after.cpuMicrosPerRequest());
                        ratios.get(load).add(with.cpuMicrosPerRequest()
                                / ((before.cpuMicrosPerRequest() + after.cpuMicrosPerRequest()) / 2));
                        line.append(String.format(Locale.ROOT, " %s %s between %s and %s (%.3f);", load.label, with, before,
                                after, ratios.get(load).getLast()));
                        before = after;
                    }
                    System.out.println(line);
                }
                for (Load load : tagged) {
                    System.out.printf(Locale.ROOT, "CMCD COST (%s) wrk -t2 -c%d -d%ds, %d segments of %s KiB in turn, warm "
                            + "cache, %d repetitions: cost with / without = %.3f (median of the repetitions' ratios, each to "
                            + "the mean of the loads without CMCD just before and after it; 95%% confidence interval of the "
                            + "median %.3f-%.3f; quartiles %.3f-%.3f); edge CPU per request %.1f us with, %.1f us without "
                            + "(medians)%n", load.label, connections, seconds, SEGMENTS,
                            Arrays.stream(segmentKiB).mapToObj(Integer::toString).collect(Collectors.joining("/")), repetitions,
                            ThroughputBenchmark.median(ratios.get(load)), medianBound(ratios.get(load), -1),
                            medianBound(ratios.get(load), 1), quantile(ratios.get(load), 0.25),
                            quantile(ratios.get(load), 0.75), ThroughputBenchmark.median(cpu.get(load)),
                            ThroughputBenchmark.median(cpu.get(Load.WITHOUT_CMCD)));
                }
                edge.stop(Duration.ofSeconds(20));
                edge = null;
                inProcess(loads, segments, videoId, headers, repetitions, cpu.get(Load.WITHOUT_CMCD));
            } finally {
                if (edge != null) {
                    edge.stop(Duration.ofSeconds(20)); // drains its playback events into a live Kafka
                }
            }
        }
    }

    /**
     * What the edge spent under one wrk run: CPU time (utime + stime from {@code /proc/<pid>/stat}) per answered request,
     * and the share of the run's time it was on a core (below 1 for one core, it waited for requests: then each request
     * also pays for the edge waking up).
     */
    private record EdgeRun(double cpuMicrosPerRequest, double busy) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f us (busy %.2f)", cpuMicrosPerRequest, busy);
        }
    }

    /** Where the first run of a load is recorded, with {@code bench.jfr}; else {@code null}. */
    private static Path recording(String jfr, int repetition, Load load) {
        return jfr != null && repetition == 1 ? Path.of(jfr).toAbsolutePath().resolve(load.name() + ".jfr") : null;
    }

    /** One wrk run against the edge; with a {@code recording} path, recorded there (JFR, 1 ms samples). */
    private static EdgeRun measure(ChildProcess edge, Path script, String base, int seconds, int connections, Path recording)
            throws Exception {
        if (recording != null) {
            jcmd(edge.pid(), "JFR.start", "name=bench", "settings=profile", "jdk.ExecutionSample#period=1ms");
        }
        long cpuBefore = cpuTicks(edge.pid());
        long start = System.nanoTime();
        ThroughputBenchmark.WrkRun run = ThroughputBenchmark.wrkRun(script, base, seconds, connections);
        double cpuSeconds = (cpuTicks(edge.pid()) - cpuBefore) / TICKS_PER_SECOND;
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        if (recording != null) {
            jcmd(edge.pid(), "JFR.stop", "name=bench", "filename=" + recording);
        }
        return new EdgeRun(cpuSeconds * 1e6 / run.requests(), cpuSeconds / wallSeconds);
    }

    /**
     * The work CMCD changes, timed in this JVM ({@link RequestWork}: the request head read by Jetty's parser, the CMCD
     * read, the event made and serialized), with the request head in a direct buffer (Jetty's default) and in a heap
     * buffer (the edge's connector): what each load adds to a request over the load without CMCD, the median of the
     * rounds (the loads take turns going first). The kernel's part of a request does not change with CMCD (the same
     * packets, ~115 bytes longer), so the added work over the edge's whole CPU per request without CMCD, measured with
     * wrk above, models the cost with the network's noise left out.
     */
    private static void inProcess(Load[] loads, List<Segment> segments, String videoId, Map<String, String> headers, int rounds,
            List<Double> wrkCpuWithout) {
        int perRound = Integer.getInteger("bench.localRequests", 200_000);
        double base = ThroughputBenchmark.median(wrkCpuWithout) * 1_000;
        for (RequestWork.Buffer kind : RequestWork.Buffer.values()) {
            RequestWork work = new RequestWork();
            Map<Load, List<ByteBuffer>> requests = new EnumMap<>(Load.class);
            for (Load load : loads) {
                List<byte[]> list = load.requests(segments, videoId, headers).stream()
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

    /** The loads measured: without CMCD, and those named (comma-separated), or all. */
    private static Load[] loads(String names) {
        if (names == null) {
            return Load.values();
        }
        return Stream.concat(Stream.of(Load.WITHOUT_CMCD), Arrays.stream(names.split(",")).map(String::strip)
                .map(Load::valueOf).filter(load -> load != Load.WITHOUT_CMCD)).distinct().toArray(Load[]::new);
    }

    /**
     * The lower ({@code side} -1) or upper (1) end of a distribution-free 95% confidence interval of the median: the
     * order statistics n/2 -+ 0.98 sqrt(n) (the normal approximation of the binomial), so no shape of the noise is
     * assumed.
     */
    private static double medianBound(List<Double> values, int side) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double rank = n / 2.0 + side * 0.98 * Math.sqrt(n);
        int index = side < 0 ? (int) Math.floor(rank) - 1 : (int) Math.ceil(rank);
        return sorted.get(Math.clamp(index, 0, n - 1));
    }

    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.round(q * (sorted.size() - 1)));
    }
}
