package dev.reel.ingest.it;

import static dev.reel.ingest.it.IngestHarness.BOB_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.ingest.IngestService;
import dev.reel.ingest.client.UploadRequest;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per key: at most {@code REEL_INGEST_OPEN_UPLOADS} tus uploads open, {@code REEL_INGEST_UPLOADS_PER_HOUR} started. */
@RealCluster
class UploadLimitsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void openUploadsAndUploadsPerHourAreBoundedPerKey(ClusterEndpoints cluster) throws Exception {
        IngestHarness.ensureTopics(cluster.bootstrapServers());
        String bucket = "reel-limits-test"; // its own: open uploads of other tests do not count here
        try (MinioAsyncClient admin = cluster.s3().asyncClient()) {
            if (!admin.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()).get()) {
                admin.makeBucket(MakeBucketArgs.builder().bucket(bucket).build()).get();
            }
        }
        Map<String, String> env = IngestHarness.environment(cluster.bootstrapServers(), cluster.s3(), bucket);
        env.put("REEL_INGEST_OPEN_UPLOADS", "2");
        env.put("REEL_INGEST_UPLOADS_PER_HOUR", "5");
        try (IngestService service = IngestHarness.start(env)) {
            URI api = URI.create("http://127.0.0.1:" + service.port());
            // A finished upload is no longer open: it does not count against the two below.
            TestMedia media = TestMedia.generate(work);
            IngestHarness.client(api, BOB_KEY, 1024 * 1024).upload(media.clip(),
                    new UploadRequest("Finished", null, null, null));
            HttpResponse<String> first = create(api);
            HttpResponse<String> second = create(api);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            assertThat(second.statusCode()).as(second.body()).isEqualTo(201);

            HttpResponse<String> third = create(api);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(JSON.readTree(third.body()).path("error").asText()).contains("2 uploads open");

            assertThat(delete(api, first).statusCode()).isEqualTo(204);
            HttpResponse<String> fourth = create(api);
            assertThat(fourth.statusCode()).as("an open slot again: " + fourth.body()).isEqualTo(201);

            assertThat(delete(api, second).statusCode()).isEqualTo(204);
            HttpResponse<String> fifth = create(api);
            assertThat(fifth.statusCode()).as("five uploads started this hour").isEqualTo(429);
            assertThat(JSON.readTree(fifth.body()).path("error").asText()).contains("5 uploads an hour");
            long retryAfter = Long.parseLong(fifth.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 3600L);
        }
    }

    private static HttpResponse<String> create(URI api) throws Exception {
        String title = Base64.getEncoder().encodeToString("Limited".getBytes());
        return IngestHarness.http().send(HttpRequest.newBuilder(api.resolve("/api/uploads"))
                .header("Authorization", "Bearer " + BOB_KEY).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "1000").header("Upload-Metadata", "title " + title)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> delete(URI api, HttpResponse<String> created) throws Exception {
        URI upload = api.resolve(created.headers().firstValue("Location").orElseThrow());
        return IngestHarness.http().send(HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + BOB_KEY)
                .header("Tus-Resumable", "1.0.0").DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
