package dev.reel.ingest.it;

import static dev.reel.ingest.it.IngestHarness.ALICE_KEY;
import static dev.reel.ingest.it.IngestHarness.BOB_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.events.Envelope;
import dev.reel.events.VideoDeleted;
import dev.reel.events.VideoMetadataUpdated;
import dev.reel.events.VideoUploaded;
import dev.reel.events.Visibility;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.IngestService;
import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.IngestException;
import dev.reel.ingest.client.UploadListener;
import dev.reel.ingest.client.UploadRequest;
import dev.reel.ingest.client.UploadResult;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.GetObjectArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads that work, against the real broker, the real S3 server and real ffprobe: one request (raw and form), tus in
 * chunks, a tus upload cut at an arbitrary byte, concurrent PATCHes, checksums, edits, deletion and playback tokens.
 */
@RealCluster
class UploadIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path media;

    private static TestMedia files;
    private static IngestService service;
    private static URI api;
    private static String bootstrap;
    private static MinioAsyncClient s3;
    private static String bucket;
    private static final HttpClient http = IngestHarness.http();

    @BeforeAll
    static void start(ClusterEndpoints cluster) throws Exception {
        IngestHarness.ensureTopics(cluster.bootstrapServers());
        files = TestMedia.generate(media);
        service = IngestHarness.start(IngestHarness.environment(cluster.bootstrapServers(), cluster.s3(), cluster.bucket()));
        api = URI.create("http://127.0.0.1:" + service.port());
        bootstrap = cluster.bootstrapServers();
        s3 = cluster.s3().asyncClient();
        bucket = cluster.bucket();
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aRawSingleRequestUploadIsStoredProbedAndPublished() throws Exception {
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(bootstrap, Topics.UPLOADS);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(api.resolve("/api/videos?title=Raw%20clip&visibility=unlisted&filename=clip.mp4"))
                        .header("Authorization", "Bearer " + ALICE_KEY).POST(HttpRequest.BodyPublishers.ofFile(files.clip()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.body());
        String videoId = body.path("videoId").asText();
        assertThat(videoId).hasSize(22);
        assertThat(body.path("status").asText()).isEqualTo("http://reel.test:8080/api/catalog/videos/" + videoId);
        assertThat(body.path("watch").asText()).isEqualTo("http://reel.test:8080/watch/" + videoId);

        VideoUploaded event = uploadedEvent(from, videoId);
        assertThat(event.title()).isEqualTo("Raw clip");
        assertThat(event.owner()).isEqualTo("alice");
        assertThat(event.visibility()).isEqualTo(Visibility.UNLISTED);
        assertProbedClip(event);
        assertStoredOriginal(videoId, files.clip(), "alice");
    }

    @Test
    void aMultipartFormUploadTakesItsFieldsFromTheForm() throws Exception {
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(bootstrap, Topics.UPLOADS);
        String boundary = "----reel" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nForm clip\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nFrom a form\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"\r\n"
                + "Content-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"visibility\"\r\n\r\nprivate\r\n--"
                + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.resolve("/api/videos"))
                .header("Authorization", "Bearer " + BOB_KEY).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, Files.readAllBytes(files.clip()), tail))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String videoId = JSON.readTree(response.body()).path("videoId").asText();
        VideoUploaded event = uploadedEvent(from, videoId);
        assertThat(event.title()).isEqualTo("Form clip");
        assertThat(event.description()).isEqualTo("From a form");
        assertThat(event.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(event.owner()).isEqualTo("bob");
        assertThat(event.filename()).isEqualTo("clip.mp4");
        assertProbedClip(event);
        assertStoredOriginal(videoId, files.clip(), "bob");
    }

    @Test
    void aTusUploadInSmallChunksIsAssembledByteForByte() throws Exception {
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(bootstrap, Topics.UPLOADS);
        List<Long> progress = new ArrayList<>();
        // 1 MiB chunks against 5 MiB parts: most requests end with bytes staged as a tail.
        IngestClient client = IngestHarness.client(api, ALICE_KEY, 1024 * 1024);
        UploadResult result = client.upload(files.big(), new UploadRequest("Big clip", null, null, "big.mp4"), null,
                new UploadListener() {
                    @Override
                    public void progress(long sent, long total) {
                        progress.add(sent);
                    }
                });

        assertThat(result.statusUrl()).isEqualTo("http://reel.test:8080/api/catalog/videos/" + result.videoId());
        assertThat(result.watchUrl()).isEqualTo("http://reel.test:8080/watch/" + result.videoId());
        assertThat(progress).isSorted().last().isEqualTo(Files.size(files.big()));
        VideoUploaded event = uploadedEvent(from, result.videoId());
        assertThat(event.width()).isEqualTo(1280);
        assertThat(event.height()).isEqualTo(720);
        assertThat(event.sizeBytes()).isEqualTo(Files.size(files.big()));
        assertThat(event.sha256()).isEqualTo(sha256(files.big()));
        assertStoredOriginal(result.videoId(), files.big(), "alice");
        assertThat(IngestHarness.keys(s3, bucket, "uploads/" + result.videoId() + "/"))
                .as("only the finished session is left, no staged tail")
                .containsExactly("uploads/" + result.videoId() + "/session.json");
        // HEAD still answers for a finished upload, with the links.
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(result.uploadUrl()).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + ALICE_KEY).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.headers().firstValue("Upload-Offset")).contains(Long.toString(Files.size(files.big())));
        assertThat(head.headers().firstValue("Reel-Watch-Url")).contains(result.watchUrl());
    }

    @Test
    void aTusUploadCutAtAnArbitraryByteResumesFromTheServersOffset() throws Exception {
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(bootstrap, Topics.UPLOADS);
        byte[] bytes = Files.readAllBytes(files.big());
        IngestClient client = IngestHarness.client(api, ALICE_KEY, 4 * 1024 * 1024);
        URI upload = client.create(bytes.length, new UploadRequest("Cut clip", null, null, "big.mp4"));

        // One PATCH announcing the whole file that dies after 6,291,459 bytes: one part stored, the rest staged.
        int cutAt = 6 * 1024 * 1024 + 3;
        sendAndCut(upload, 0, bytes, cutAt);
        awaitOffset(client, upload, cutAt);

        UploadResult result = client.upload(files.big(), new UploadRequest("Cut clip", null, null, "big.mp4"), upload,
                UploadListener.NONE);
        assertThat(result.videoId()).isEqualTo(lastSegment(upload));
        VideoUploaded event = uploadedEvent(from, result.videoId());
        assertThat(event.sha256()).isEqualTo(sha256(files.big()));
        assertStoredOriginal(result.videoId(), files.big(), "alice");
        assertThat(IngestHarness.events(bootstrap, Topics.UPLOADS, from, events -> true, DEADLINE).stream()
                .filter(e -> e.subject().equals(result.videoId()))).hasSize(1);
    }

    @Test
    void concurrentPatchesAtOneOffsetHaveExactlyOneWinner() throws Exception {
        byte[] bytes = Files.readAllBytes(files.clip());
        IngestClient client = IngestHarness.client(api, ALICE_KEY, 256 * 1024);
        URI upload = client.create(bytes.length, new UploadRequest("Raced clip", null, null, null));
        byte[] chunk = Arrays.copyOf(bytes, 256 * 1024);
        int racers = 6;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                statuses.add(pool.submit(() -> {
                    go.await();
                    return patch(upload, 0, chunk).statusCode();
                }));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                codes.add(status.get());
            }
            assertThat(codes).as("one 204, the rest 409 (offset moved) or 423 (busy)").containsOnlyOnce(204)
                    .allMatch(code -> code == 204 || code == 409 || code == 423);
        } finally {
            pool.shutdownNow();
        }
        assertThat(client.offset(upload)).contains((long) chunk.length);
        UploadResult result = client.upload(files.clip(), new UploadRequest("Raced clip", null, null, null), upload,
                UploadListener.NONE);
        assertStoredOriginal(result.videoId(), files.clip(), "alice");
    }

    @Test
    void aChunkWithTheWrongChecksumIsRefusedWith460AndDiscarded() throws Exception {
        byte[] bytes = Files.readAllBytes(files.clip());
        IngestClient client = IngestHarness.client(api, ALICE_KEY, 256 * 1024);
        URI upload = client.create(bytes.length, new UploadRequest("Checksummed", null, null, null));
        byte[] chunk = Arrays.copyOf(bytes, 1000);
        byte[] wrong = MessageDigest.getInstance("SHA-256").digest("something else".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(
                tusPatch(upload, 0, chunk).header("Upload-Checksum", "sha256 " + Base64.getEncoder().encodeToString(wrong))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(460);
        assertThat(JSON.readTree(response.body()).path("error").asText()).contains("Checksum Mismatch");
        assertThat(client.offset(upload)).contains(0L);

        byte[] right = MessageDigest.getInstance("SHA-256").digest(chunk);
        HttpResponse<String> ok = http.send(
                tusPatch(upload, 0, chunk).header("Upload-Checksum", "sha256 " + Base64.getEncoder().encodeToString(right))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.headers().firstValue("Upload-Offset")).contains("1000");
        client.cancel(upload);
        assertThat(client.offset(upload)).isEmpty();
    }

    @Test
    void tusDiscoveryAndVersionHeaders() throws Exception {
        HttpResponse<Void> options = http.send(
                HttpRequest.newBuilder(api.resolve("/api/uploads")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Tus-Resumable")).contains("1.0.0");
        assertThat(options.headers().firstValue("Tus-Version")).contains("1.0.0");
        assertThat(options.headers().firstValue("Tus-Extension"))
                .contains("creation,creation-with-upload,termination,expiration,checksum");
        assertThat(options.headers().firstValue("Tus-Checksum-Algorithm")).contains("sha256");
        assertThat(options.headers().firstValue("Tus-Max-Size")).isPresent();

        HttpResponse<String> noVersion = http.send(
                HttpRequest.newBuilder(api.resolve("/api/uploads")).header("Authorization", "Bearer " + ALICE_KEY)
                        .header("Upload-Length", "10").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noVersion.statusCode()).isEqualTo(412);
        assertThat(noVersion.headers().firstValue("Tus-Version")).contains("1.0.0");

        HttpResponse<String> created = http
                .send(HttpRequest.newBuilder(api.resolve("/api/uploads")).header("Authorization", "Bearer " + ALICE_KEY)
                        .header("Tus-Resumable", "1.0.0").header("Upload-Length", "10")
                        .header("Upload-Metadata",
                                "filename " + Base64.getEncoder().encodeToString("x.mp4".getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).matches("/api/uploads/[A-Za-z0-9_-]{22}"));
        assertThat(created.headers().firstValue("Upload-Expires")).hasValueSatisfying(value -> assertThat(value).endsWith("GMT"));
        assertThat(created.headers().firstValue("Tus-Resumable")).contains("1.0.0");
        IngestHarness.client(api, ALICE_KEY, 1024).cancel(api.resolve(created.headers().firstValue("Location").orElseThrow()));
    }

    @Test
    void ownersEditDeleteAndMintPlaybackTokensOthersCannot() throws Exception {
        Map<TopicPartition, Long> uploads = IngestHarness.endOffsets(bootstrap, Topics.UPLOADS);
        Map<TopicPartition, Long> metadata = IngestHarness.endOffsets(bootstrap, Topics.METADATA);
        IngestClient alice = IngestHarness.client(api, ALICE_KEY, 1024 * 1024);
        IngestClient bob = IngestHarness.client(api, BOB_KEY, 1024 * 1024);
        String videoId = alice.upload(files.clip(), new UploadRequest("Before", null, "private", null)).videoId();
        uploadedEvent(uploads, videoId);
        // What a transcoder would have written, so the deletion has media to remove.
        s3.putObject(PutObjectArgs.builder().bucket(bucket).object("media/" + videoId + "/240p/init.mp4")
                .stream(new ByteArrayInputStream(new byte[10]), 10L, -1L).build()).get();

        // Another owner's video is answered exactly as an unknown one: 404, same reason.
        String unknown = "404: no such video";
        assertThatThrownBy(() -> bob.updateMetadata(videoId, "Stolen", null, null)).isInstanceOf(IngestException.class)
                .hasMessageStartingWith(unknown);
        assertThatThrownBy(() -> bob.delete(videoId)).isInstanceOf(IngestException.class).hasMessageStartingWith(unknown);
        assertThatThrownBy(() -> bob.playbackToken(videoId)).isInstanceOf(IngestException.class).hasMessageStartingWith(unknown);
        assertThatThrownBy(() -> alice.updateMetadata(videoId, null, null, "secret")).hasMessageStartingWith("400");
        assertThatThrownBy(() -> alice.updateMetadata("AAAAAAAAAAAAAAAAAAAAAA", "x", null, null))
                .hasMessageStartingWith(unknown);

        alice.updateMetadata(videoId, "After", "", "unlisted");
        assertThat(patch(videoId, ALICE_KEY, "{\"downloads\": \"no\"}").statusCode()).isEqualTo(400);
        assertThat(patch(videoId, BOB_KEY, "{\"downloads\": false}").statusCode()).as("another owner's: unknown").isEqualTo(404);
        HttpResponse<String> downloadsOff = patch(videoId, ALICE_KEY, "{\"downloads\": false}");
        assertThat(downloadsOff.statusCode()).as(downloadsOff.body()).isEqualTo(200);
        assertThat(downloadsOff.body()).contains("\"downloads\":false");
        String token = alice.playbackToken(videoId);
        assertThat(new PlaybackTokens(IngestHarness.TOKEN_KEY.getBytes(StandardCharsets.UTF_8)).verify(token, videoId,
                Instant.now())).isTrue();
        alice.delete(videoId);

        List<Envelope<?>> events = IngestHarness.events(bootstrap, Topics.METADATA, metadata,
                seen -> seen.stream().anyMatch(e -> e.subject().equals(videoId) && e.data() instanceof VideoDeleted), DEADLINE);
        List<Object> ofVideo = events.stream().filter(e -> e.subject().equals(videoId)).map(Envelope::data)
                .map(Object.class::cast).toList();
        assertThat(ofVideo).containsExactly(new VideoMetadataUpdated(videoId, "After", "", Visibility.UNLISTED),
                new VideoMetadataUpdated(videoId, null, null, null, false), new VideoDeleted(videoId, "alice"));

        dev.reel.cluster.Await.until("the deletion consumer removed the video's objects", DEADLINE,
                () -> IngestHarness.keys(s3, bucket, "originals/" + videoId + "/").isEmpty()
                        && IngestHarness.keys(s3, bucket, "media/" + videoId + "/").isEmpty(),
                List.of());
        assertThatThrownBy(() -> alice.updateMetadata(videoId, "Again", null, null)).hasMessageStartingWith("404");
    }

    @Test
    void requestsWithoutAValidKeyAre401() throws Exception {
        for (Optional<String> key : List.of(Optional.<String>empty(), Optional.of("Bearer wrong-key-123456"),
                Optional.of("Basic YTpi"))) {
            HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve("/api/videos?title=x"))
                    .POST(HttpRequest.BodyPublishers.ofString("x"));
            key.ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"reel\"");
            assertThat(JSON.readTree(response.body()).path("error").asText()).contains("API key");
        }
    }

    @Test
    void opsEndpointsAnswer() throws Exception {
        dev.reel.cluster.Await.until("ingest is ready", DEADLINE,
                () -> http.send(HttpRequest.newBuilder(api.resolve("/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200,
                List.of());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(api.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("reel_ingest_bytes_received_bytes_total", "reel_ingest_probe_seconds",
                "reel_ingest_publish_seconds");
        assertThat(http.send(HttpRequest.newBuilder(api.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
    }

    // --- helpers ---

    static VideoUploaded uploadedEvent(Map<TopicPartition, Long> from, String videoId) {
        return uploadedEventOn(bootstrap, from, videoId);
    }

    static VideoUploaded uploadedEventOn(String bootstrap, Map<TopicPartition, Long> from, String videoId) {
        List<Envelope<?>> events = IngestHarness.events(bootstrap, Topics.UPLOADS, from,
                seen -> seen.stream().anyMatch(e -> e.subject().equals(videoId)), DEADLINE);
        return (VideoUploaded) events.stream().filter(e -> e.subject().equals(videoId)).findFirst().orElseThrow().data();
    }

    private static void assertProbedClip(VideoUploaded event) throws Exception {
        assertThat(event.width()).isEqualTo(320);
        assertThat(event.height()).isEqualTo(240);
        assertThat(event.durationSeconds()).isBetween(9.9, 10.2);
        assertThat(event.videoCodec()).isEqualTo("h264");
        assertThat(event.audioCodec()).isEqualTo("aac");
        assertThat(event.sizeBytes()).isEqualTo(Files.size(files.clip()));
        assertThat(event.sha256()).isEqualTo(sha256(files.clip()));
        assertThat(event.objectKey()).isEqualTo("originals/" + event.videoId() + "/source");
    }

    static void assertStoredOriginal(String videoId, Path file, String owner) throws Exception {
        try (InputStream in = s3
                .getObject(GetObjectArgs.builder().bucket(bucket).object("originals/" + videoId + "/source").build()).get()) {
            assertThat(in.readAllBytes()).as("stored original").isEqualTo(Files.readAllBytes(file));
        }
        var stat = s3.statObject(StatObjectArgs.builder().bucket(bucket).object("originals/" + videoId + "/source").build())
                .get();
        assertThat(stat.userMetadata().getFirst("owner")).isEqualTo(owner);
        // ffprobe's whole answer beside it, which the transcoder plans from: every stream with its codec's details
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object("originals/" + videoId + "/probe.json")
                .build()).get()) {
            JsonNode probe = new ObjectMapper().readTree(in);
            assertThat(probe.path("streams").findValuesAsText("codec_type")).as("stored probe").contains("video");
            assertThat(probe.path("streams").findValuesAsText("pix_fmt")).as("stored probe, with the pixel format")
                    .containsExactly("yuv420p");
            assertThat(probe.path("format").path("duration").asDouble()).as("stored probe").isPositive();
            assertThat(probe.toString()).as("no presigned URL kept").doesNotContain("X-Amz-Signature", "filename");
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static HttpRequest.Builder tusPatch(URI upload, long offset, byte[] chunk) {
        return HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + ALICE_KEY).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", Long.toString(offset)).header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk));
    }

    private static HttpResponse<String> patch(URI upload, long offset, byte[] chunk) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(tusPatch(upload, offset, chunk).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A PATCH that announces every remaining byte but whose connection dies after {@code cutAt} bytes. */
    static void sendAndCut(URI upload, long offset, byte[] bytes, int cutAt) throws Exception {
        try (Socket socket = new Socket(upload.getHost(), upload.getPort())) {
            OutputStream out = socket.getOutputStream();
            String head = "PATCH " + upload.getPath() + " HTTP/1.1\r\nHost: " + upload.getHost() + "\r\nAuthorization: Bearer "
                    + ALICE_KEY
                    + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + offset
                    + "\r\nContent-Type: application/offset+octet-stream\r\n"
                    + "Content-Length: " + (bytes.length - offset) + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, (int) offset, (int) (cutAt - offset));
            out.flush();
        }
    }

    static void awaitOffset(IngestClient client, URI upload, long expected) {
        dev.reel.cluster.Await.until("the server to keep the bytes of the cut request", DEADLINE,
                () -> client.offset(upload).orElse(-1L) == expected, List.of());
    }

    static String lastSegment(URI uri) {
        return uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1);
    }

    private HttpResponse<String> patch(String videoId, String key, String json) throws Exception {
        return IngestHarness.http().send(HttpRequest.newBuilder(api.resolve("/api/videos/" + videoId))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
