package dev.reel.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.cluster.Ports;
import dev.reel.cluster.S3Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway against a real S3 server: what "not found", "refused" and "away" look like to every service. */
class ObjectStorageIT {

    private static final String BUCKET = "gateway";

    @TempDir
    static Path dir;
    private static S3Server server;
    private static ObjectStorage storage;

    @BeforeAll
    static void start() {
        server = S3Server.start(dir.resolve("s3"), dir.resolve("logs"), Ports.free(), "gatewaykey", "gatewaysecret12",
                List.of(BUCKET), Duration.ofSeconds(60));
        storage = new ObjectStorage(server.endpoint().asyncClient(), BUCKET, Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        if (storage != null) {
            storage.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aMissingObjectIsEmptyNotAnError() throws Exception {
        assertThat(storage.read("nothing/here")).isEmpty();
        assertThat(storage.readText("nothing/here")).isEmpty();
        assertThat(storage.stat("nothing/here")).isEmpty();
        storage.delete("nothing/here"); // idempotent
        assertThat(storage.deletePrefix("nothing/")).isZero();
    }

    @Test
    void objectsRoundTripWithTheirValidatorsAndMetadata(@TempDir Path local) throws Exception {
        storage.put("a/one.txt", "hello".getBytes(StandardCharsets.UTF_8), "text/plain");
        Path file = Files.writeString(local.resolve("two.txt"), "second file");
        assertThat(storage.putFile("a/two.txt", file, "text/plain")).isEqualTo(11);

        StoredObject one = storage.read("a/one.txt").orElseThrow();
        assertThat(one.bytes()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        assertThat(one.etag()).isNotBlank();
        assertThat(one.lastModified()).isAfter(java.time.Instant.now().minus(Duration.ofHours(1)));
        assertThat(storage.readText("a/two.txt")).contains("second file");
        assertThat(storage.list("a/")).containsExactlyInAnyOrder("a/one.txt", "a/two.txt");
        assertThat(storage.deletePrefix("a/")).isEqualTo(2);
        assertThat(storage.list("a/")).isEmpty();
    }

    @Test
    void aMultipartUploadKeepsItsMetadataAndAbortingTwiceIsFine() throws Exception {
        String key = "originals/v1/source";
        String upload = storage.createMultipartUpload(key, Map.of("owner", "alice"));
        byte[] part = new byte[5 * 1024 * 1024];
        List<CompletedPart> parts = new ArrayList<>();
        parts.add(storage.uploadPart(key, upload, 1, part, part.length).join());
        parts.add(storage.uploadPart(key, upload, 2, "tail".getBytes(StandardCharsets.UTF_8), 4).join());
        storage.completeMultipartUpload(key, upload, parts);

        ObjectInfo info = storage.stat(key).orElseThrow();
        assertThat(info.size()).isEqualTo(part.length + 4L);
        assertThat(info.userMetadata()).containsEntry("owner", "alice");

        String aborted = storage.createMultipartUpload("originals/v2/source", Map.of());
        storage.abortMultipartUpload("originals/v2/source", aborted);
        storage.abortMultipartUpload("originals/v2/source", aborted);
        assertThat(storage.stat("originals/v2/source")).as("an aborted upload leaves no object").isEmpty();
    }

    @Test
    void aPresignedUrlServesRangesWithoutCredentials() throws Exception {
        storage.put("p/ranged", "0123456789".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        String url = storage.presignedGet("p/ranged", Duration.ofMinutes(1));
        HttpResponse<String> range = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=2-4").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("234");
    }

    @Test
    void aRangeIsReadAloneWithTheObjectsSizeAndValidators() throws Exception {
        byte[] bytes = new byte[10_000];
        new java.util.Random(7).nextBytes(bytes);
        storage.put("r/segment", bytes, "video/iso.segment");
        StoredObject whole = storage.read("r/segment").orElseThrow();

        StoredRange middle = storage.readRange("r/segment", 100, 1_099).orElseThrow();
        assertThat(middle.bytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 100, 1_100));
        assertThat(middle.offset()).isEqualTo(100);
        assertThat(middle.objectSize()).isEqualTo(10_000);
        assertThat(middle.etag()).isEqualTo(whole.etag());
        assertThat(middle.lastModified()).isEqualTo(whole.lastModified());

        StoredRange toTheEnd = storage.readRange("r/segment", 9_900, Long.MAX_VALUE - 1).orElseThrow();
        assertThat(toTheEnd.bytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 9_900, 10_000));
        assertThat(toTheEnd.objectSize()).isEqualTo(10_000);

        assertThat(storage.readRange("r/nothing", 0, 9)).isEmpty();
        assertThatThrownBy(() -> storage.readRange("r/segment", 20_000, 20_100)).isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.REFUSED));
    }

    @Test
    void aMissingBucketIsRefusedAtOnceNotRetried() {
        try (ObjectStorage noBucket = new ObjectStorage(server.endpoint().asyncClient(), "no-such-bucket",
                Duration.ofMinutes(1))) {
            assertThatThrownBy(() -> noBucket.put("k", new byte[1], "application/octet-stream"))
                    .isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.REFUSED));
        }
    }

    @Test
    void storageThatIsAwayIsRetriedWithinTheBudgetThenUnavailable() {
        io.minio.MinioAsyncClient nowhere = io.minio.MinioAsyncClient.builder().endpoint("http://127.0.0.1:" + Ports.free())
                .credentials("k", "s").region("us-east-1").build();
        try (ObjectStorage away = new ObjectStorage(nowhere, BUCKET, Duration.ofMillis(1_200))) {
            assertThatThrownBy(() -> away.read("k")).isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(((StorageException) e).isTransient()).isTrue())
                    .hasMessageContaining("cannot read k");
        }
    }
}
