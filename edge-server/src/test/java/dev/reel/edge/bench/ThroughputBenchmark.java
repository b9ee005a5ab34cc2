package dev.reel.edge.bench;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.LocalCluster;
import dev.reel.cluster.Ports;
import dev.reel.events.Rendition;
import dev.reel.events.SourceFacts;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.serde.VideoRecordSerializer;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Cache-hit throughput of one edge against nginx serving the same files from disk with sendfile, in one run:
 * 64 segments of 1 MiB, the edge's cache warm, wrk rotating over the 64 URLs, edge and nginx alternated for
 * several repetitions (the machine is shared and noisy: the ratio is the result). The edge is a child JVM started
 * like the launcher starts it, with its real Kafka (playback events are sent) and S3.
 *
 * <pre>infra/mvn -B -q -pl edge-server -am install -DskipTests
 * infra/mvn -B -q -pl edge-server exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.reel.edge.bench.ThroughputBenchmark \
 *     [-Dexec.args="repetitions seconds connections"]</pre>
 * Needs {@code wrk} and {@code nginx} (apt-get install -y wrk nginx).
 */
public final class ThroughputBenchmark {

    private static final int SEGMENTS = 64;
    private static final int SEGMENT_BYTES = 1 << 20;
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in");

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Path moduleDir = moduleDir();
        Path runDir = Files.createTempDirectory(Files.createDirectories(moduleDir.resolve("target")), "throughput-bench-");
        // nginx's workers run as another user: they must be able to read the files.
        Files.setPosixFilePermissions(runDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String videoId = "benchThroughput01";
        List<ChildProcess> processes = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.forTests(runDir.resolve("cluster"), 1))) {
            try {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                    new TopicBootstrap(admin, 1).ensure(Topics.all());
                }
                Path docRoot = runDir.resolve("www");
                List<String> paths = writeSegments(cluster, docRoot, videoId);
                publish(cluster.bootstrapServers(), videoId);

                int edgePort = Ports.free();
                ChildProcess edge = edge(moduleDir, cluster, runDir, edgePort);
                processes.add(edge);
                edge.start();
                int nginxPort = Ports.free();
                ChildProcess nginx = new ChildProcess("nginx",
                        List.of("nginx", "-c", writeNginxConfig(runDir, docRoot, nginxPort).toString(),
                                "-g", "daemon off;"),
                        Map.of(), runDir, runDir.resolve("nginx.log"));
                processes.add(nginx);
                nginx.start();

                HttpClient http = HttpClient.newHttpClient();
                String edgeBase = "http://127.0.0.1:" + edgePort;
                String nginxBase = "http://127.0.0.1:" + nginxPort;
                Await.until("edge ready", Duration.ofMinutes(2), () -> status(http, edgeBase + "/readyz") == 200
                        && status(http, edgeBase + paths.get(0)) == 200, List.of(edge));
                Await.until("nginx ready", Duration.ofMinutes(1), () -> status(http, nginxBase + paths.get(0)) == 200,
                        List.of(nginx));
                for (String path : paths) {
                    status(http, edgeBase + path); // warm the edge's cache
                }
                Path script = writeWrkScript(runDir, paths);
                // One discarded run each, so the edge's JIT has compiled the serving path before measurements.
                wrk(script, edgeBase, seconds, connections);
                wrk(script, nginxBase, seconds, connections);
                List<Double> edgeRates = new ArrayList<>();
                List<Double> nginxRates = new ArrayList<>();
                for (int r = 1; r <= repetitions; r++) {
                    edgeRates.add(wrk(script, edgeBase, seconds, connections));
                    nginxRates.add(wrk(script, nginxBase, seconds, connections));
                    System.out.printf(Locale.ROOT, "rep %d: edge %.0f req/s, nginx %.0f req/s%n", r, edgeRates.getLast(),
                            nginxRates.getLast());
                }
                double edgeMedian = median(edgeRates);
                double nginxMedian = median(nginxRates);
                System.out.printf(Locale.ROOT, "wrk -t2 -c%d -d%ds, %d x 1 MiB segments, warm cache, median of %d:%n",
                        connections, seconds,
                        SEGMENTS, repetitions);
                System.out.printf(Locale.ROOT, "edge  %8.0f req/s  %6.2f Gbit/s%n", edgeMedian, gbits(edgeMedian));
                System.out.printf(Locale.ROOT, "nginx %8.0f req/s  %6.2f Gbit/s (sendfile)%n", nginxMedian, gbits(nginxMedian));
                System.out.printf(Locale.ROOT, "edge / nginx = %.2f%n", edgeMedian / nginxMedian);
            } finally {
                // Before the cluster closes, so the edge drains its playback events into a live Kafka.
                processes.forEach(p -> p.stop(Duration.ofSeconds(20)));
            }
        }
    }

    /** An edge as the launcher runs it (a child JVM from the module's build output), not started yet. */
    static ChildProcess edge(Path moduleDir, LocalCluster cluster, Path runDir, int port) throws Exception {
        return new ChildProcess("edge",
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                        moduleDir.resolve("target/classes") + ":"
                                + Files.readString(moduleDir.resolve("target/service.classpath")).strip(),
                        "dev.reel.edge.Main"),
                edgeEnvironment(cluster, port), runDir, runDir.resolve("edge.log"));
    }

    /** The module folder: {@code <module>/target/test-classes} holds this class, whichever folder Maven started in. */
    static Path moduleDir() throws Exception {
        return Path.of(ThroughputBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent()
                .getParent();
    }

    static List<String> writeSegments(LocalCluster cluster, Path docRoot, String videoId) throws Exception {
        return writeSegments(cluster, docRoot, videoId, SEGMENTS, SEGMENT_BYTES);
    }

    /**
     * {@code count} random segments in storage (and under {@code docRoot}, for nginx), their sizes taken from
     * {@code sizes} in turn; their URL paths.
     */
    @SuppressWarnings("try") // MinioClient.close() declares Exception
    static List<String> writeSegments(LocalCluster cluster, Path docRoot, String videoId, int count, int... sizes)
            throws Exception {
        Random random = new Random(7);
        List<String> paths = new ArrayList<>();
        Path folder = Files.createDirectories(docRoot.resolve("v").resolve(videoId).resolve("1080p"));
        try (MinioClient s3 = cluster.s3Endpoint().client()) {
            for (int n = 1; n <= count; n++) {
                byte[] bytes = new byte[sizes[(n - 1) % sizes.length]];
                random.nextBytes(bytes);
                String file = "seg-%05d.m4s".formatted(n);
                Files.write(folder.resolve(file), bytes);
                s3.putObject(
                        PutObjectArgs.builder().bucket(LocalCluster.DEFAULT_BUCKET).object("media/" + videoId + "/1080p/" + file)
                                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).build());
                paths.add("/v/" + videoId + "/1080p/" + file);
            }
        }
        return paths;
    }

    static void publish(String bootstrapServers, String videoId) throws Exception {
        publish(bootstrapServers, videoId, SEGMENTS);
    }

    /** A READY public video whose 1080p rendition has {@code segments} segments. */
    static void publish(String bootstrapServers, String videoId, int segments) throws Exception {
        publish(bootstrapServers, videoId, record(videoId, segments, Visibility.PUBLIC));
    }

    /** A READY video of {@code visibility} whose 1080p rendition has the benchmark's segments. */
    static void publish(String bootstrapServers, String videoId, Visibility visibility) throws Exception {
        publish(bootstrapServers, videoId, record(videoId, SEGMENTS, visibility));
    }

    /** Writes a catalog record as catalog-streams would. */
    static void publish(String bootstrapServers, String videoId, VideoRecord record) throws Exception {
        try (KafkaProducer<String, VideoRecord> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers), new StringSerializer(), new VideoRecordSerializer())) {
            producer.send(new ProducerRecord<>(Topics.CATALOG, videoId, record)).get(30, TimeUnit.SECONDS);
        }
    }

    private static VideoRecord record(String videoId, int segments, Visibility visibility) {
        Rendition rendition = new Rendition("1080p", 1920, 1080, 2_100_000, 2_000_000, "avc1.640028,mp4a.40.2", 30,
                "media/" + videoId + "/1080p/index.m3u8", segments, segments * 4.0, false);
        return new VideoRecord(videoId, "Throughput", null, visibility, "bench",
                new SourceFacts(1, "0".repeat(64), segments * 4.0, 1920, 1080, "h264", "aac", "originals/" + videoId + "/source",
                        null),
                VideoState.READY, 100, null, List.of(rendition), null, Map.of(VideoState.READY, Instant.now()), Instant.now(), 1);
    }

    /** An edge child JVM's environment on this benchmark cluster (the download benchmark's too). */
    static Map<String, String> edgeEnvironment(LocalCluster cluster, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("REEL_INSTANCE_ID", "bench-edge");
        env.put("REEL_EDGE_PORT", Integer.toString(port));
        env.put("REEL_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        env.put("REEL_S3_ENDPOINT", cluster.s3Endpoint().url());
        env.put("REEL_S3_ACCESS_KEY", cluster.s3Endpoint().accessKey());
        env.put("REEL_S3_SECRET_KEY", cluster.s3Endpoint().secretKey());
        env.put("REEL_EDGE_CACHE_MAX_BYTES", Long.toString(256L << 20));
        env.put("REEL_LOG_LEVEL", "WARN");
        env.put("REEL_EDGE_DOWNLOADS_AHEAD", "off"); // no remux competing with what is measured
        return env;
    }

    private static Path writeNginxConfig(Path runDir, Path docRoot, int port) throws Exception {
        String config = """
                worker_processes 2;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    sendfile on;
                    tcp_nopush on;
                    keepalive_requests 1000000;
                    client_body_temp_path %1$s/nginx-tmp;
                    proxy_temp_path %1$s/nginx-tmp;
                    fastcgi_temp_path %1$s/nginx-tmp;
                    uwsgi_temp_path %1$s/nginx-tmp;
                    scgi_temp_path %1$s/nginx-tmp;
                    types { video/iso.segment m4s; }
                    server {
                        listen 127.0.0.1:%2$d;
                        root %3$s;
                    }
                }
                """.formatted(runDir, port, docRoot);
        Path file = runDir.resolve("nginx.conf");
        Files.writeString(file, config);
        return file;
    }

    static Path writeWrkScript(Path runDir, List<String> paths) throws Exception {
        return writeWrkScript(runDir, paths, "rotate.lua");
    }

    /** A wrk script that rotates over {@code paths}. */
    static Path writeWrkScript(Path runDir, List<String> paths, String name) throws Exception {
        return writeWrkRequests(runDir, paths.stream().map(p -> new WrkRequest(p, Map.of())).toList(), name);
    }

    /** A request of a wrk script: its path and its headers (besides wrk's {@code Host}). */
    record WrkRequest(String path, Map<String, String> headers) {
    }

    /** A wrk script that rotates over {@code requests}. */
    static Path writeWrkRequests(Path runDir, List<WrkRequest> requests, String name) throws Exception {
        StringBuilder lua = new StringBuilder("local requests = {\n");
        for (WrkRequest request : requests) {
            lua.append("  {\"").append(request.path()).append("\", {");
            request.headers().forEach((header, value) -> lua.append("[\"").append(header).append("\"] = [[").append(value)
                    .append("]], "));
            lua.append("}},\n");
        }
        lua.append("}\nlocal i = 0\nrequest = function()\n  i = i % #requests + 1\n"
                + "  return wrk.format(\"GET\", requests[i][1], requests[i][2])\nend\n");
        Path file = runDir.resolve(name);
        Files.writeString(file, lua.toString());
        return file;
    }

    static double wrk(Path script, String base, int seconds, int connections) throws Exception {
        return wrkRun(script, base, seconds, connections).requestsPerSecond();
    }

    /** What one wrk run measured. */
    record WrkRun(double requestsPerSecond, long requests) {
    }

    static WrkRun wrkRun(Path script, String base, int seconds, int connections) throws Exception {
        Process process = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "-s", script.toString(),
                base + "/")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        Matcher m = REQUESTS_PER_SECOND.matcher(output);
        Matcher total = REQUESTS.matcher(output);
        if (!m.find() || !total.find() || output.contains("Non-2xx")) {
            throw new IllegalStateException("wrk against " + base + " failed:\n" + output);
        }
        return new WrkRun(Double.parseDouble(m.group(1)), Long.parseLong(total.group(1)));
    }

    static int status(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static double gbits(double requestsPerSecond) {
        return requestsPerSecond * SEGMENT_BYTES * 8 / 1e9;
    }
}
