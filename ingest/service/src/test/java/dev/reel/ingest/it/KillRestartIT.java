package dev.reel.ingest.it;

import static dev.reel.ingest.it.IngestHarness.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.Ports;
import dev.reel.events.Envelope;
import dev.reel.events.VideoUploaded;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.Main;
import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.UploadListener;
import dev.reel.ingest.client.UploadRequest;
import dev.reel.ingest.client.UploadResult;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.GetObjectArgs;
import io.minio.MinioAsyncClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest process is killed with SIGKILL in the middle of a tus PATCH and started again: the upload resumes from
 * the offset HEAD reports (what was committed before the kill, staged tail included), the assembled original is
 * byte-identical and exactly one {@code video.uploaded} is published.
 */
@RealCluster
class KillRestartIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path work;

    @Test
    void anUploadSurvivesKillDashNineOfTheIngestProcess(ClusterEndpoints cluster) throws Exception {
        IngestHarness.ensureTopics(cluster.bootstrapServers());
        TestMedia files = TestMedia.generate(Files.createDirectories(work.resolve("media")));
        byte[] bytes = Files.readAllBytes(files.big());
        assertThat(bytes.length).as("the test file spans at least three 5 MiB parts").isGreaterThan(11 * MIB);
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(cluster.bootstrapServers(), Topics.UPLOADS);

        int port = Ports.free();
        Map<String, String> env = IngestHarness.environment(cluster.bootstrapServers(), cluster.s3(), cluster.bucket());
        env.put("REEL_INGEST_PORT", Integer.toString(port));
        ChildProcess ingest = new ChildProcess("ingest",
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName()),
                env, work, work.resolve("ingest.log"));
        URI api = URI.create("http://127.0.0.1:" + port);
        IngestClient client = IngestHarness.client(api, ALICE_KEY, 4 * MIB);
        try {
            ingest.start();
            awaitReady(api, ingest);

            // First request: 6 MiB + 5 bytes arrive whole: one 5 MiB part stored, 1 MiB + 5 bytes staged as a tail.
            URI upload = client.create(bytes.length, new UploadRequest("Survivor", null, null, "big.mp4"));
            int first = 6 * MIB + 5;
            HttpResponse<String> patched = IngestHarness.http().send(HttpRequest.newBuilder(upload)
                    .header("Authorization", "Bearer " + ALICE_KEY).header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                    .header("Content-Type", "application/offset+octet-stream")
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes, 0, first)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);

            // Second request announces the rest; the server commits a second part (staged tail + 4 MiB) at 10 MiB;
            // then the process dies with the connection open and more bytes in flight.
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("PATCH " + upload.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ALICE_KEY
                        + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + first
                        + "\r\nContent-Type: application/offset+octet-stream\r\n"
                        + "Content-Length: " + (bytes.length - first) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes, first, 5 * MIB);
                out.flush();
                Await.until("the second part is committed", DEADLINE, () -> client.offset(upload).orElse(-1L) == 10L * MIB,
                        List.of(ingest));
                ingest.kill();
            }

            ingest.start();
            awaitReady(api, ingest);
            assertThat(client.offset(upload)).as("HEAD after the restart").contains(10L * MIB);
            UploadResult result = client.upload(files.big(), new UploadRequest("Survivor", null, null, "big.mp4"), upload,
                    UploadListener.NONE);

            String videoId = result.videoId();
            List<Envelope<?>> events = IngestHarness.events(cluster.bootstrapServers(), Topics.UPLOADS, from,
                    seen -> seen.stream().anyMatch(e -> e.subject().equals(videoId)), DEADLINE);
            List<Envelope<?>> ofVideo = events.stream().filter(e -> e.subject().equals(videoId)).toList();
            assertThat(ofVideo).as("exactly one event").hasSize(1);
            VideoUploaded uploaded = (VideoUploaded) ofVideo.get(0).data();
            assertThat(uploaded.sha256()).isEqualTo(UploadIT.sha256(files.big()));
            assertThat(uploaded.sizeBytes()).isEqualTo(bytes.length);
            try (MinioAsyncClient s3 = cluster.s3().asyncClient();
                    InputStream in = s3.getObject(
                            GetObjectArgs.builder().bucket(cluster.bucket()).object("originals/" + videoId + "/source").build())
                            .get()) {
                assertThat(in.readAllBytes()).as("the assembled original").isEqualTo(bytes);
            }
            assertThat(Files.readString(work.resolve("ingest.log"))).contains("accepted " + videoId);
        } finally {
            assertThat(ingest.stop(Duration.ofSeconds(30))).as("ingest stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(work.resolve("ingest.log"))).contains("shutdown: event producer done", "shutdown: http done");
    }

    private static void awaitReady(URI api, ChildProcess ingest) {
        Await.until("ingest is ready", DEADLINE,
                () -> IngestHarness.http().send(HttpRequest.newBuilder(api.resolve("/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200,
                List.of(ingest));
    }
}
