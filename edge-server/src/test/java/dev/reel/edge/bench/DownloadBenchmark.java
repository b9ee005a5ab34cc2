package dev.reel.edge.bench;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.LocalCluster;
import dev.reel.cluster.Ports;
import dev.reel.edge.download.DownloadFile;
import dev.reel.events.Rendition;
import dev.reel.events.SourceFacts;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The MP4 download of a 10-minute 1080p rung through one edge, against serving the same stored file straight from the
 * S3 server and, when nginx is installed, from disk with sendfile, in one run: how long after the edge starts the
 * downloads are made ahead (it remuxes the READY rung's 150 fMP4 segments with ffmpeg and stores the MP4 and the M4A),
 * the first request once they are (a stored file: no remux in its time to first byte), then alternated
 * repetitions of whole downloads from each, measuring time to first byte and throughput (bytes over the time to the
 * last byte; the client discards the body). The edge is a child JVM started as the launcher starts it, on real Kafka
 * and S3. The rung is made once by ffmpeg (testsrc2, 1080p25, 5 Mbit/s, 4 s keyframes, AAC 160k) into
 * {@code target/download-bench/}.
 *
 * <pre>infra/mvn -B -q -pl edge-server -am install -DskipTests
 * infra/mvn -B -q -pl edge-server exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.reel.edge.bench.DownloadBenchmark \
 *     [-Dexec.args="repetitions minutes"]</pre>
 */
public final class DownloadBenchmark {

    private static final String VIDEO = "benchDownload0000001";

    private DownloadBenchmark() {
    }

    /** Time to first byte and throughput of one whole download. */
    record Run(double ttfbMillis, double megabytesPerSecond, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path moduleDir = Path.of(DownloadBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent().getParent();
        Path rung = makeRung(Files.createDirectories(moduleDir.resolve("target/download-bench/rung-" + minutes + "min")),
                minutes * 60);
        Path runDir = Files.createTempDirectory(moduleDir.resolve("target/download-bench"), "run-");
        Files.setPosixFilePermissions(runDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<ChildProcess> processes = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.forTests(runDir.resolve("cluster"), 1))) {
            try {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                    new TopicBootstrap(admin, 1).ensure(Topics.all());
                }
                MinioClient s3 = MinioClient.builder().endpoint(cluster.s3Endpoint().url())
                        .credentials(cluster.s3Endpoint().accessKey(), cluster.s3Endpoint().secretKey()).build();
                int segments = upload(s3, rung);
                publish(cluster.bootstrapServers(), segments, minutes * 60.0);

                int edgePort = Ports.free();
                ChildProcess edge = new ChildProcess(
                        "edge", List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m", "-cp", moduleDir.resolve("target/classes") + ":"
                                        + Files.readString(moduleDir.resolve("target/service.classpath")).strip(),
                                "dev.reel.edge.Main"),
                        environment(cluster, edgePort, runDir), runDir, runDir.resolve("edge.log"));
                processes.add(edge);
                edge.start();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String download = "http://127.0.0.1:" + edgePort + "/v/" + VIDEO + "/download/1080p.mp4";
                Await.until("edge ready", Duration.ofMinutes(2),
                        () -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePort + "/readyz")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200,
                        List.of(edge));

                // the edge makes the READY video's downloads ahead (REEL_EDGE_DOWNLOADS_AHEAD, on by default): the time
                // from its start to both stored is the remux a first request would otherwise wait for
                long edgeReady = System.nanoTime();
                Await.until("the downloads made ahead", Duration.ofMinutes(15),
                        () -> stored(s3, "1080p.mp4") && stored(s3, DownloadFile.AUDIO), List.of(edge));
                System.out.printf(Locale.ROOT, "made ahead (remux %d segments into the MP4 and the M4A, store): %.1f s "
                        + "after the edge was ready%n", segments, (System.nanoTime() - edgeReady) / 1e9);
                Run cold = fetch(http, download);
                System.out.printf(Locale.ROOT, "first request: TTFB %.0f ms, %d MB at %.0f MB/s%n", cold.ttfbMillis(),
                        cold.bytes() >> 20, cold.megabytesPerSecond());

                String stored = s3
                        .getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Http.Method.GET).bucket("reel")
                                .object(ObjectKeys.download(VIDEO, "1080p.mp4")).expiry(3600).build());
                String nginx = startNginx(runDir, processes, cluster, s3, http);
                fetch(http, download); // warm-up of the serving path
                fetch(http, stored);
                List<Run> edgeRuns = new ArrayList<>();
                List<Run> s3Runs = new ArrayList<>();
                List<Run> nginxRuns = new ArrayList<>();
                for (int r = 1; r <= repetitions; r++) {
                    edgeRuns.add(fetch(http, download));
                    s3Runs.add(fetch(http, stored));
                    if (nginx != null) {
                        nginxRuns.add(fetch(http, nginx));
                    }
                    System.out.printf(Locale.ROOT, "rep %d: edge TTFB %.1f ms %.0f MB/s | S3 TTFB %.1f ms %.0f MB/s%s%n", r,
                            edgeRuns.getLast().ttfbMillis(), edgeRuns.getLast().megabytesPerSecond(),
                            s3Runs.getLast().ttfbMillis(),
                            s3Runs.getLast().megabytesPerSecond(), nginx == null
                                    ? ""
                                    : String.format(Locale.ROOT, " | nginx TTFB %.1f ms %.0f MB/s",
                                            nginxRuns.getLast().ttfbMillis(),
                                            nginxRuns.getLast().megabytesPerSecond()));
                }
                System.out.printf(Locale.ROOT, "median of %d, %d MB file:%n", repetitions, cold.bytes() >> 20);
                report("edge (stored download)", edgeRuns);
                report("S3 server, same object", s3Runs);
                System.out.printf(Locale.ROOT, "edge / S3 throughput = %.2f%n", medianRate(edgeRuns) / medianRate(s3Runs));
                if (nginx != null) {
                    report("nginx sendfile, same file", nginxRuns);
                    System.out.printf(Locale.ROOT, "edge / nginx throughput = %.2f%n",
                            medianRate(edgeRuns) / medianRate(nginxRuns));
                }
            } finally {
                processes.forEach(p -> p.stop(Duration.ofSeconds(20)));
            }
        }
    }

    /** nginx serving the stored MP4 from disk (sendfile), if nginx is installed; its URL, or null. */
    private static String startNginx(Path runDir, List<ChildProcess> processes, LocalCluster cluster, MinioClient s3,
            HttpClient http) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
            System.out.println("(nginx not installed: apt-get install -y nginx for the sendfile baseline)");
            return null;
        }
        Path docRoot = Files.createDirectories(runDir.resolve("www"));
        try (InputStream in = s3.getObject(io.minio.GetObjectArgs.builder().bucket("reel")
                .object(ObjectKeys.download(VIDEO, "1080p.mp4")).build())) {
            Files.copy(in, docRoot.resolve("video.mp4"));
        }
        int port = Ports.free();
        Path config = runDir.resolve("nginx.conf");
        Files.writeString(config, "worker_processes 2; pid " + runDir.resolve("nginx.pid") + "; error_log " + runDir.resolve(
                "nginx-error.log") + ";\nevents { worker_connections 256; }\nhttp { access_log off; sendfile on; tcp_nopush on;"
                + " server { listen 127.0.0.1:" + port + "; root " + docRoot + "; } }\n");
        ChildProcess nginx = new ChildProcess("nginx", List.of("/usr/sbin/nginx", "-c", config.toString(), "-g", "daemon off;"),
                Map.of(), runDir, runDir.resolve("nginx.log"));
        processes.add(nginx);
        nginx.start();
        String url = "http://127.0.0.1:" + port + "/video.mp4";
        Await.until("nginx ready", Duration.ofMinutes(1), () -> http.send(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200, List.of(nginx));
        return url;
    }

    private static Run fetch(HttpClient http, String url) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(15))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        byte[] buffer = new byte[1 << 20];
        long bytes = 0;
        double ttfb = -1;
        try (InputStream body = response.body()) {
            int read;
            while ((read = body.read(buffer)) != -1) {
                if (ttfb < 0) {
                    ttfb = (System.nanoTime() - start) / 1e6;
                }
                bytes += read;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(ttfb, bytes / 1048576.0 / seconds, bytes);
    }

    private static void report(String what, List<Run> runs) {
        System.out.printf(Locale.ROOT, "%-26s TTFB %6.1f ms   %6.0f MB/s%n", what,
                median(runs.stream().map(Run::ttfbMillis).toList()), medianRate(runs));
    }

    private static double medianRate(List<Run> runs) {
        return median(runs.stream().map(Run::megabytesPerSecond).toList());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** A 1080p fMP4 HLS rung of {@code seconds}, made once. */
    private static Path makeRung(Path dir, int seconds) throws IOException, InterruptedException {
        if (Files.exists(dir.resolve("index.m3u8"))) {
            return dir;
        }
        long start = System.nanoTime();
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "5M", "-maxrate", "5500k",
                "-bufsize", "10M", "-g", "100", "-keyint_min", "100", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "160k", "-ac", "2", "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod",
                "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4", "-start_number", "1",
                "-hls_segment_filename", dir.resolve("seg-%05d.m4s").toString(), dir.resolve("index.m3u8").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        if (!ffmpeg.waitFor(60, TimeUnit.MINUTES) || ffmpeg.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + Files.readString(dir.resolve("ffmpeg.log")));
        }
        System.out.printf(Locale.ROOT, "made the %d s 1080p rung in %.0f s%n", seconds, (System.nanoTime() - start) / 1e9);
        return dir;
    }

    private static int upload(MinioClient s3, Path rung) throws Exception {
        int segments = 0;
        try (Stream<Path> files = Files.list(rung)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("init\\.mp4|seg-\\d+\\.m4s|index\\.m3u8"))
                    .toList()) {
                s3.uploadObject(UploadObjectArgs.builder().bucket("reel")
                        .object(ObjectKeys.renditionFile(VIDEO, "1080p", file.getFileName().toString()))
                        .filename(file.toString()).build());
                segments += file.getFileName().toString().endsWith(".m4s") ? 1 : 0;
            }
        }
        return segments;
    }

    private static void publish(String bootstrapServers, int segments, double seconds) throws Exception {
        Rendition rendition = new Rendition("1080p", 1920, 1080, 5_500_000, 5_200_000, "avc1.640028,mp4a.40.2", 25,
                ObjectKeys.renditionFile(VIDEO, "1080p", ObjectKeys.PLAYLIST), segments, seconds, false);
        VideoRecord record = new VideoRecord(VIDEO, "Download benchmark", null, Visibility.PUBLIC, "bench",
                new SourceFacts(1, "0".repeat(64), seconds, 1920, 1080, "h264", "aac", ObjectKeys.original(VIDEO), null),
                VideoState.READY, 100, null, List.of(rendition), null, Map.of(VideoState.READY, Instant.now()), Instant.now(), 1);
        ThroughputBenchmark.publish(bootstrapServers, VIDEO, record);
    }

    private static boolean stored(MinioClient s3, String file) {
        try {
            s3.statObject(io.minio.StatObjectArgs.builder().bucket("reel").object(ObjectKeys.download(VIDEO, file)).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, String> environment(LocalCluster cluster, int port, Path runDir) {
        Map<String, String> env = new HashMap<>(ThroughputBenchmark.edgeEnvironment(cluster, port));
        env.put("REEL_S3_TIMEOUT", "30s");
        env.put("REEL_EDGE_SCRATCH_DIR", runDir.resolve("scratch").toString());
        env.put("REEL_EDGE_DOWNLOADS_AHEAD", "on");
        return env;
    }
}
