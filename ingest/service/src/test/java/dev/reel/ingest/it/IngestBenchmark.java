package dev.reel.ingest.it;

import static dev.reel.ingest.it.IngestHarness.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.ingest.IngestService;
import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.UploadListener;
import dev.reel.ingest.client.UploadRequest;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a timed test (it asserts only that every upload worked): a ~200 MB video through ingest (one request,
 * and tus with the Java client) and, in the same run and alternating, straight to the same S3 server with minio-java's
 * multipart putObject; prints throughputs, their ratio, and the server's time from last byte to event (probe and
 * publish shown apart). Not picked up by {@code verify} (no IT suffix); run it with
 * {@code infra/mvn -B -pl ingest/service verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=IngestBenchmark}
 * ({@code -Dreel.bench.mb=200 -Dreel.bench.rounds=3 -Dreel.bench.chunk.mib=8} change size, repetitions and tus chunk size).
 */
@RealCluster
class IngestBenchmark {

    private static final int PART = 8 * 1024 * 1024;

    @TempDir
    Path work;

    @Test
    void ingestVersusRawS3(ClusterEndpoints cluster) throws Exception {
        int megabytes = Integer.getInteger("reel.bench.mb", 200);
        int rounds = Integer.getInteger("reel.bench.rounds", 3);
        int chunkMib = Integer.getInteger("reel.bench.chunk.mib", 8);
        Path video = noiseVideo(megabytes);
        long size = Files.size(video);
        IngestHarness.ensureTopics(cluster.bootstrapServers());
        Map<String, String> env = IngestHarness.environment(cluster.bootstrapServers(), cluster.s3(), cluster.bucket());
        env.put("REEL_INGEST_PART_BYTES", Integer.toString(PART));
        List<double[]> rows = new ArrayList<>();
        try (IngestService service = IngestHarness.start(env); MinioAsyncClient s3 = cluster.s3().asyncClient()) {
            URI api = URI.create("http://127.0.0.1:" + service.port());
            IngestClient tus = IngestHarness.client(api, ALICE_KEY, chunkMib << 20);
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                try (InputStream in = Files.newInputStream(video)) {
                    s3.putObject(PutObjectArgs.builder().bucket(cluster.bucket()).object("bench/raw-" + round)
                            .stream(in, size, (long) PART).build())
                            .get(10, TimeUnit.MINUTES);
                }
                double raw = seconds(start);
                s3.removeObject(RemoveObjectArgs.builder().bucket(cluster.bucket()).object("bench/raw-" + round).build()).get();

                Map<String, Double> before = serverTimes(api);
                start = System.nanoTime();
                HttpResponse<String> response = IngestHarness.http()
                        .send(HttpRequest.newBuilder(api.resolve("/api/videos?title=bench"))
                                .header("Authorization", "Bearer " + ALICE_KEY).POST(HttpRequest.BodyPublishers.ofFile(video))
                                .build(),
                                HttpResponse.BodyHandlers.ofString());
                double single = seconds(start);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                Map<String, Double> after = serverTimes(api);

                start = System.nanoTime();
                tus.upload(video, new UploadRequest("bench", null, null, null), null, UploadListener.NONE);
                double resumable = seconds(start);
                rows.add(new double[]{raw, single, resumable, delta(before, after, "last_byte_to_event"),
                        delta(before, after, "probe"),
                        delta(before, after, "publish")});
            }
        }
        double mb = size / 1e6;
        System.out.printf(Locale.ROOT,
                "%nIngest benchmark: %.1f MB video, %d MiB parts, tus chunks of %d MiB, %d rounds (alternating)%n",
                mb, PART >> 20, chunkMib, rounds);
        System.out.println(
                "round  raw S3 MB/s  ingest POST MB/s  ratio  ingest tus MB/s  ratio  last byte->event ms  probe ms  publish ms");
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            System.out.printf(Locale.ROOT, "%5d  %11.1f  %16.1f  %5.2f  %15.1f  %5.2f  %19.0f  %8.0f  %10.1f%n", i + 1, mb / r[0],
                    mb / r[1], r[0] / r[1],
                    mb / r[2], r[0] / r[2], r[3] * 1000, r[4] * 1000, r[5] * 1000);
        }
        // Medians over rounds; ratios are taken per round (the two sides of a round ran back to back on the same machine).
        System.out.printf(Locale.ROOT, "median: raw %.1f MB/s, ingest POST %.1f MB/s (ratio %.2f), tus %.1f MB/s (ratio %.2f), "
                + "last byte->event %.0f ms (probe %.0f ms, publish %.1f ms)%n%n",
                mb / median(rows, r -> r[0]), mb / median(rows, r -> r[1]), median(rows, r -> r[0] / r[1]),
                mb / median(rows, r -> r[2]),
                median(rows, r -> r[0] / r[2]), median(rows, r -> r[3]) * 1000, median(rows, r -> r[4]) * 1000,
                median(rows, r -> r[5]) * 1000);
    }

    private static double median(List<double[]> rows, java.util.function.ToDoubleFunction<double[]> column) {
        double[] values = rows.stream().mapToDouble(column).sorted().toArray();
        return values[values.length / 2];
    }

    private Path noiseVideo(int megabytes) throws Exception {
        // Lossless random noise barely compresses: about 9 MB per second of 640x360 video.
        Path video = work.resolve("noise.mp4");
        int seconds = Math.max(1, (int) Math.ceil(megabytes / 9.0));
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "nullsrc=s=640x360:r=25:d=" + seconds + ",geq=lum='random(1)*255':cb=128:cr=128", "-c:v", "libx264", "-preset",
                "ultrafast",
                "-qp", "0", "-pix_fmt", "yuv420p", video.toString()).redirectErrorStream(true).start();
        String output = new String(ffmpeg.getInputStream().readAllBytes());
        assertThat(ffmpeg.waitFor()).as(output).isZero();
        return video;
    }

    private static final Pattern SUM = Pattern
            .compile("(?m)^reel_ingest_(last_byte_to_event|probe|publish)_seconds_sum\\{[^}]*} ([0-9.eE+-]+)");

    private static Map<String, Double> serverTimes(URI api) throws Exception {
        String metrics = IngestHarness.http()
                .send(HttpRequest.newBuilder(api.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> sums = new java.util.HashMap<>();
        Matcher matcher = SUM.matcher(metrics);
        while (matcher.find()) {
            sums.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return sums;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
