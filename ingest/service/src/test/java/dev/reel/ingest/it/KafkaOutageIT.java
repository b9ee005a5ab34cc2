package dev.reel.ingest.it;

import static dev.reel.ingest.it.IngestHarness.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.cluster.KafkaCluster;
import dev.reel.cluster.KafkaClusterConfig;
import dev.reel.events.Envelope;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.IngestService;
import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.UploadRequest;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while the last PATCH of an upload is being finished: the client gets no answer until the
 * broker is back and the event is written, then exactly one {@code video.uploaded} exists. Runs its own broker (the
 * shared one must stay up for the other tests); S3 is the shared server.
 */
@RealCluster
class KafkaOutageIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final Pattern PROBES = Pattern.compile("(?m)^reel_ingest_probe_seconds_count\\{[^}]*} (\\d+)");

    @TempDir
    Path work;

    @Test
    void theLastPatchIsAnsweredOnlyOnceTheEventIsWritten(ClusterEndpoints cluster) throws Exception {
        TestMedia files = TestMedia.generate(Files.createDirectories(work.resolve("media")));
        byte[] bytes = Files.readAllBytes(files.clip());
        try (KafkaCluster kafka = KafkaCluster.start(KafkaClusterConfig.withFreePorts(work.resolve("kafka"), 1),
                work.resolve("logs"),
                DEADLINE)) {
            IngestHarness.ensureTopics(kafka.bootstrapServers());
            Map<String, String> env = IngestHarness.environment(kafka.bootstrapServers(), cluster.s3(), cluster.bucket());
            env.put("REEL_INGEST_PUBLISH_TIMEOUT", "3m");
            try (IngestService service = IngestHarness.start(env)) {
                URI api = URI.create("http://127.0.0.1:" + service.port());
                IngestClient client = IngestHarness.client(api, ALICE_KEY, 1024 * 1024);
                URI upload = client.create(bytes.length, new UploadRequest("Outage", null, null, null));
                int allButLast = bytes.length - 1000;
                assertThat(patch(upload, 0, bytes, 0, allButLast).statusCode()).isEqualTo(204);

                kafka.node(1).stop(Duration.ofSeconds(30));
                CompletableFuture<HttpResponse<String>> last = IngestHarness.http().sendAsync(
                        request(upload, allButLast, bytes, allButLast, 1000), HttpResponse.BodyHandlers.ofString());
                Await.until("the last PATCH is probed", DEADLINE, () -> probes(api) >= 1, List.of());
                assertThat(last).as("no answer while the event cannot be written").isNotDone();

                kafka.node(1).start();
                HttpResponse<String> answer = last.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
                String videoId = answer.headers().firstValue("Reel-Video-Id").orElseThrow();
                assertThat(answer.headers().firstValue("Reel-Watch-Url")).contains("http://reel.test:8080/watch/" + videoId);

                List<Envelope<?>> events = IngestHarness.events(kafka.bootstrapServers(), Topics.UPLOADS, Map.of(),
                        seen -> seen.stream().anyMatch(e -> e.subject().equals(videoId)), DEADLINE);
                assertThat(events.stream().filter(e -> e.subject().equals(videoId))).as("exactly one event").hasSize(1);
            }
        }
    }

    private static HttpResponse<String> patch(URI upload, long offset, byte[] bytes, int from, int length) throws Exception {
        return IngestHarness.http().send(request(upload, offset, bytes, from, length), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(URI upload, long offset, byte[] bytes, int from, int length) {
        return HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + ALICE_KEY).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", Long.toString(offset)).header("Content-Type", "application/offset+octet-stream")
                .timeout(Duration.ofMinutes(4)).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes, from, length))
                .build();
    }

    private static long probes(URI api) throws Exception {
        String metrics = IngestHarness.http()
                .send(HttpRequest.newBuilder(api.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = PROBES.matcher(metrics);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
