package dev.reel.ingest.it;

import static dev.reel.ingest.it.IngestHarness.ALICE_KEY;
import static dev.reel.ingest.it.IngestHarness.BOB_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.cluster.Await;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.IngestService;
import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.IngestException;
import dev.reel.ingest.client.UploadListener;
import dev.reel.ingest.client.UploadRequest;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.MinioAsyncClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus, each answered with its status and reason, both ways (one request and tus); and afterwards no
 * event, no object and no open multipart upload left behind. Also: tus protocol errors and expiry of an abandoned upload.
 */
@RealCluster
class BadInputIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 3 * 1024 * 1024;

    @TempDir
    static Path media;

    private static TestMedia files;
    private static IngestService service;
    private static IngestService expiring;
    private static URI api;
    private static String bootstrap;
    private static MinioAsyncClient s3;
    private static String bucket;
    private static String expiryBucket;
    private static final HttpClient http = IngestHarness.http();

    @BeforeAll
    static void start(ClusterEndpoints cluster) throws Exception {
        IngestHarness.ensureTopics(cluster.bootstrapServers());
        files = TestMedia.generate(media);
        Map<String, String> env = IngestHarness.environment(cluster.bootstrapServers(), cluster.s3(), cluster.bucket());
        env.put("REEL_INGEST_MAX_UPLOAD_BYTES", Long.toString(MAX_BYTES));
        service = IngestHarness.start(env);
        api = URI.create("http://127.0.0.1:" + service.port());
        // Its own bucket, so its quick sweeps never touch the sessions of the other tests.
        expiryBucket = "reel-expiry-test";
        try (MinioAsyncClient admin = cluster.s3().asyncClient()) {
            if (!admin.bucketExists(io.minio.BucketExistsArgs.builder().bucket(expiryBucket).build()).get()) {
                admin.makeBucket(io.minio.MakeBucketArgs.builder().bucket(expiryBucket).build()).get();
            }
        }
        Map<String, String> shortLived = IngestHarness.environment(cluster.bootstrapServers(), cluster.s3(), expiryBucket);
        // long enough that the cut request below is staged (and seen) before it expires on a busy machine: at 2 s, with
        // other modules' tests beside it (infra/test runs two at a time), the sweeper once took it first, bytes unstaged
        shortLived.put("REEL_INGEST_UPLOAD_EXPIRY", "10s");
        shortLived.put("REEL_INGEST_SWEEP_INTERVAL", "500ms");
        expiring = IngestHarness.start(shortLived);
        bootstrap = cluster.bootstrapServers();
        s3 = cluster.s3().asyncClient();
        bucket = cluster.bucket();
    }

    @AfterAll
    static void stop() throws Exception {
        for (IngestService s : new IngestService[]{service, expiring}) {
            if (s != null) {
                s.close();
            }
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private record Bad(String name, Path file, int status, String reason) {
    }

    @Test
    void notVideosAreRefusedWithAReasonAndLeaveNothingBehind() throws Exception {
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(bootstrap, Topics.UPLOADS);
        List<String> originalsBefore = IngestHarness.keys(s3, bucket, "originals/");
        int openBefore = IngestHarness.openMultipartUploads(s3, bucket).size();
        List<Bad> corpus = List.of(
                new Bad("text renamed .mp4", files.text(), 415, "not a video"),
                new Bad("truncated", files.truncated(), 422, "truncated"),
                new Bad("zero bytes", files.empty(), 422, "empty"),
                new Bad("audio only", files.audioOnly(), 422, "audio only"));
        List<String> createdUploads = new ArrayList<>();
        for (Bad bad : corpus) {
            // One request.
            HttpResponse<String> single = http.send(HttpRequest.newBuilder(api.resolve("/api/videos?title=bad"))
                    .header("Authorization", "Bearer " + ALICE_KEY).POST(HttpRequest.BodyPublishers.ofFile(bad.file())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(single.statusCode()).as(bad.name() + ": " + single.body()).isEqualTo(bad.status());
            assertThat(JSON.readTree(single.body()).path("error").asText()).as(bad.name()).contains(bad.reason());

            // tus, with the client.
            IngestClient client = IngestHarness.client(api, ALICE_KEY, 64 * 1024);
            List<URI> started = new ArrayList<>();
            try {
                client.upload(bad.file(), new UploadRequest("bad", null, null, null), null, new UploadListener() {
                    @Override
                    public void started(URI uploadUrl, String videoId, long resumedFrom, long total) {
                        started.add(uploadUrl);
                    }
                });
                throw new AssertionError(bad.name() + " was accepted through tus");
            } catch (IngestException e) {
                assertThat(e.status()).as(bad.name()).isEqualTo(bad.status());
                assertThat(e.getMessage()).as(bad.name()).contains(bad.reason());
            }
            started.forEach(url -> createdUploads.add(url.getPath().substring(url.getPath().lastIndexOf('/') + 1)));
            for (URI upload : started) {
                assertThat(client.offset(upload)).as("a rejected upload is gone").isEmpty();
            }
        }
        assertLeftNothing(from, originalsBefore, openBefore, createdUploads);
    }

    @Test
    void oversizedUploadsAre413BeforeOrWhileStreaming() throws Exception {
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(bootstrap, Topics.UPLOADS);
        List<String> originalsBefore = IngestHarness.keys(s3, bucket, "originals/");
        int openBefore = IngestHarness.openMultipartUploads(s3, bucket).size();
        byte[] tooBig = new byte[(int) MAX_BYTES + 1];
        // Declared up front.
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(api.resolve("/api/videos?title=big"))
                .header("Authorization", "Bearer " + ALICE_KEY).POST(HttpRequest.BodyPublishers.ofByteArray(tooBig)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(declared.statusCode()).isEqualTo(413);
        // Chunked, so only counting the bytes finds out (and aborts the multipart upload it had started).
        HttpResponse<String> streamed = http.send(HttpRequest.newBuilder(api.resolve("/api/videos?title=big"))
                .header("Authorization", "Bearer " + ALICE_KEY).POST(chunked(tooBig)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(413);
        assertThat(JSON.readTree(streamed.body()).path("error").asText()).contains("larger than the limit");
        // tus: Upload-Length over the limit.
        HttpResponse<String> tus = http.send(tusCreate(Long.toString(MAX_BYTES + 1), null), HttpResponse.BodyHandlers.ofString());
        assertThat(tus.statusCode()).isEqualTo(413);
        assertLeftNothing(from, originalsBefore, openBefore, List.of());
    }

    @Test
    void missingOrBadFieldsAre400() throws Exception {
        HttpResponse<String> noTitle = http.send(HttpRequest.newBuilder(api.resolve("/api/videos"))
                .header("Authorization", "Bearer " + ALICE_KEY).POST(HttpRequest.BodyPublishers.ofFile(files.clip())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noTitle.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noTitle.body()).path("error").asText()).isEqualTo("title is required");

        HttpResponse<String> badVisibility = http.send(
                HttpRequest.newBuilder(api.resolve("/api/videos?title=x&visibility=friends"))
                        .header("Authorization", "Bearer " + ALICE_KEY).POST(HttpRequest.BodyPublishers.ofFile(files.clip()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badVisibility.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badVisibility.body()).path("error").asText()).contains("visibility");

        assertThat(http.send(tusCreate(null, null), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        assertThat(http.send(tusCreate("-5", null), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        HttpResponse<String> badMetadata = http.send(tusCreate("10", "title %%%"), HttpResponse.BodyHandlers.ofString());
        assertThat(badMetadata.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badMetadata.body()).path("error").asText()).contains("base64");
        assertThat(
                http.send(tusCreate("10", "description " + b64("no title")), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void tusProtocolErrors() throws Exception {
        IngestClient alice = IngestHarness.client(api, ALICE_KEY, 1024);
        URI upload = alice.create(Files.size(files.clip()), new UploadRequest("protocol", null, null, null));
        String id = upload.getPath().substring(upload.getPath().lastIndexOf('/') + 1);
        assertThat(IngestHarness.openMultipartUploads(s3, bucket)).as("the upload's multipart upload is open")
                .anyMatch(open -> open.startsWith("originals/" + id + "/source#"));

        HttpResponse<String> wrongOffset = http.send(
                patch(upload, 100, new byte[10], ALICE_KEY, "application/offset+octet-stream"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongOffset.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(wrongOffset.body()).path("error").asText()).contains("does not match the upload's offset 0");
        assertThat(http
                .send(patch(upload, 0, new byte[10], ALICE_KEY, "application/octet-stream"), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(415);
        HttpResponse<String> othersUpload = http.send(patch(upload, 0, new byte[10], BOB_KEY, "application/offset+octet-stream"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(othersUpload.statusCode()).as("another owner's upload is an unknown one").isEqualTo(404);
        assertThat(JSON.readTree(othersUpload.body()).path("error").asText()).isEqualTo("no such upload");
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(api.resolve("/api/uploads/AAAAAAAAAAAAAAAAAAAAAA"))
                .header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + ALICE_KEY).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> tooMuch = http.send(
                patch(upload, 0, new byte[(int) Files.size(files.clip()) + 1], ALICE_KEY, "application/offset+octet-stream"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tooMuch.statusCode()).isEqualTo(413);
        alice.cancel(upload);
        assertThat(alice.offset(upload)).isEmpty();
        assertThat(IngestHarness.openMultipartUploads(s3, bucket)).as("termination aborted it")
                .noneMatch(open -> open.startsWith("originals/" + id + "/"));
        assertThat(IngestHarness.keys(s3, bucket, "uploads/" + id + "/")).isEmpty();
    }

    @Test
    void anAbandonedUploadExpiresAndIsCleanedUp() throws Exception {
        URI expiringApi = URI.create("http://127.0.0.1:" + expiring.port());
        IngestClient client = IngestHarness.client(expiringApi, ALICE_KEY, 1024);
        byte[] clip = Files.readAllBytes(files.clip());
        URI upload = client.create(clip.length, new UploadRequest("abandoned", null, null, null));
        String id = upload.getPath().substring(upload.getPath().lastIndexOf('/') + 1);
        UploadIT.sendAndCut(upload, 0, clip, 300_000); // some bytes staged, then the client never comes back
        UploadIT.awaitOffset(client, upload, 300_000);
        HttpResponse<Void> head = http.send(
                HttpRequest.newBuilder(upload).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + ALICE_KEY)
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.headers().firstValue("Upload-Expires")).isPresent();

        assertThat(IngestHarness.keys(s3, expiryBucket, "uploads/" + id + "/")).isNotEmpty();
        Await.until("the sweeper removed the expired upload", DEADLINE,
                () -> IngestHarness.keys(s3, expiryBucket, "uploads/" + id + "/").isEmpty(), List.of());
        assertThat(client.offset(upload)).isEmpty();
        assertThat(IngestHarness.keys(s3, expiryBucket, "originals/" + id + "/")).isEmpty();
        assertThat(IngestHarness.openMultipartUploads(s3, expiryBucket)).noneMatch(u -> u.startsWith("originals/" + id + "/"));
    }

    private void assertLeftNothing(Map<TopicPartition, Long> from, List<String> originalsBefore, int openBefore,
            List<String> uploadIds)
            throws Exception {
        assertThat(IngestHarness.events(bootstrap, Topics.UPLOADS, from, events -> true, DEADLINE)).as("events published")
                .isEmpty();
        assertThat(IngestHarness.keys(s3, bucket, "originals/")).as("originals")
                .containsExactlyInAnyOrderElementsOf(originalsBefore);
        for (String id : uploadIds) {
            assertThat(IngestHarness.keys(s3, bucket, "uploads/" + id + "/")).as("session of " + id).isEmpty();
        }
        assertThat(IngestHarness.openMultipartUploads(s3, bucket)).as("open multipart uploads")
                .noneMatch(upload -> uploadIds.stream().anyMatch(id -> upload.startsWith("originals/" + id + "/")));
        assertThat(IngestHarness.openMultipartUploads(s3, bucket).size()).as("open multipart uploads").isEqualTo(openBefore);
    }

    private HttpRequest tusCreate(String length, String metadata) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(api.resolve("/api/uploads"))
                .header("Authorization", "Bearer " + ALICE_KEY)
                .header("Tus-Resumable", "1.0.0").POST(HttpRequest.BodyPublishers.noBody());
        if (length != null) {
            builder.header("Upload-Length", length);
        }
        if (metadata != null) {
            builder.header("Upload-Metadata", metadata);
        }
        return builder.build();
    }

    private static HttpRequest patch(URI upload, long offset, byte[] body, String key, String contentType) {
        return HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + key).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", Long.toString(offset)).header("Content-Type", contentType)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** A body without Content-Length (sent chunked). */
    private static HttpRequest.BodyPublisher chunked(byte[] bytes) {
        HttpRequest.BodyPublisher known = HttpRequest.BodyPublishers.ofByteArray(bytes);
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                known.subscribe(subscriber);
            }
        };
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
