package dev.reel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeyRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reel up} as a user runs it: a separate JVM that starts the real parts, creates the topics, prints
 * where they are, and on SIGTERM stops every child process; started again, it finds its data.
 */
class ReelUpIT {

    @TempDir
    Path runDir;

    @Test
    void startsThePlatformSupervisesItStopsCleanlyAndRestartsOnItsData() throws Exception {
        // Kafka Streams does not leave its group on a clean close: started again, catalog-streams and analytics-streams
        // wait out their earlier members' session timeout (45 s by default) before they are ready. 6 s, as their own
        // tests use, lets the restart below wait seconds for it.
        Map<String, String> sessions = Map.of("REEL_CATALOG_SESSION_TIMEOUT", "6s", "REEL_ANALYTICS_SESSION_TIMEOUT", "6s");
        try (ReelPlatform platform = ReelPlatform.start(runDir, sessions, "--catalogs", "1", "--edges", "1", "--transcoders",
                "1")) {
            String kafka = platform.bootstrapServers();
            assertThat(platform.output()).contains("Reel is up", kafka, platform.clientEnv().getProperty("REEL_S3_ENDPOINT"),
                    "(created " + Topics.all().size() + ")", "Library   " + platform.frontDoor() + "/",
                    "API key   " + platform.apiKey());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .containsAll(Topics.all().stream().map(t -> t.name()).toList());
            }
            // The front door routes the library to the edges and the catalog API to catalog-streams.
            assertThat(get(platform.frontDoor() + "/").statusCode()).isEqualTo(200);
            assertThat(get(platform.frontDoor() + "/api/catalog/videos").body()).contains("\"videos\"");
            assertThat(run("status", "--run-dir", runDir.toString())).as("reel status with every process ready").isZero();
            assertThat(tailShows(kafka)).matches("\\d+@0 \\S+ .*").endsWith(" video-1 {\"hello\":\"analytics\"}");

            // A crashed service is restarted by the launcher's supervisor.
            assertThat(platform.killAndAwaitRestart("edge-1")).isPositive();

            assertThat(platform.children()).as("kafka, s3, the services and haproxy").hasSizeGreaterThanOrEqualTo(7);
            // Keys are added and revoked while everything runs, and apply without a restart.
            String listing = platform.frontDoor() + "/api/catalog/videos?visibility=any";
            assertThat(get(listing, null).statusCode()).as("own videos need a key").isEqualTo(401);
            assertThat(get(listing, platform.apiKey()).statusCode()).as("the local key").isEqualTo(200);
            String added = output("keys", "add", "--owner", "bob", "--run-dir", runDir.toString());
            String bobKey = added.lines().filter(l -> l.startsWith("key ")).findFirst().orElseThrow().split(" ")[1];
            Await.until("bob's new key works at the front door", Duration.ofSeconds(30),
                    () -> get(listing, bobKey).statusCode() == 200, List.of());
            assertThat(output("keys", "list", "--run-dir", runDir.toString())).contains(ApiKeyRecord.hash(bobKey), "bob",
                    "local").doesNotContain(bobKey + " ");
            output("keys", "revoke", "--key", bobKey, "--run-dir", runDir.toString());
            Await.until("bob's revoked key refused", Duration.ofSeconds(30), () -> get(listing, bobKey).statusCode() == 401,
                    List.of());

            platform.restart(); // SIGTERM, as systemd or Ctrl-C would: every child stops; then the same command again
            assertThat(platform.output()).contains("Reel is up").doesNotContain("(created").doesNotContain("DRIFT");
            // kill -9 of the launcher itself: every child dies with it
            Duration gone = platform.killLauncherAndAwaitNoChildren(Duration.ofSeconds(10));
            System.out.printf("LAUNCHER KILL -9: no child left after %d ms%n", gone.toMillis());
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return get(url, null);
    }

    private static HttpResponse<String> get(String url, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs a {@code reel} command to its end and returns what it printed; it must succeed. */
    private static String output(String... args) throws Exception {
        Process process = new ProcessBuilder(ReelPlatform.javaCommand(List.of(args))).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(printed).isZero();
        return printed;
    }

    private static int run(String... args) throws Exception {
        Process process = new ProcessBuilder(ReelPlatform.javaCommand(List.of(args))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return process.exitValue();
    }

    /** `reel tail dlq --from-beginning`, pointed at the cluster by the run folder's reel.env, prints what was written. */
    private String tailShows(String kafka) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DLQ, null, "video-1", "{\"hello\":\"analytics\"}")).get(30,
                    TimeUnit.SECONDS);
        }
        Process tail = new ProcessBuilder(ReelPlatform.javaCommand(List.of("tail", "dlq", "--from-beginning", "--run-dir",
                runDir.toString()))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8))) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(2, TimeUnit.MINUTES);
        } finally {
            tail.destroy();
            assertThat(tail.waitFor(30, TimeUnit.SECONDS)).as("reel tail stops on SIGTERM").isTrue();
        }
    }
}
