package dev.reel.analytics.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.analytics.Main;
import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.JavaCommand;
import dev.reel.cluster.Ports;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.Rendition;
import dev.reel.events.SourceFacts;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.dlq.DeadLetterHeaders;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.serde.VideoRecordSerializer;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeyRecord;
import dev.reel.service.auth.ApiKeyWriter;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.kafka.KafkaSettings;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two analytics instances as separate JVMs on the real broker, exactly_once_v2: every figure on either instance equals a
 * recount from the events; an instance killed with SIGKILL while sessions run loses and doubles nothing; a fresh
 * application id replaying the topic from the beginning gives the same figures. The scenarios build on each other.
 */
@RealCluster
@TestMethodOrder(OrderAnnotation.class)
class AnalyticsClusterIT {

    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration CONVERGE = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String WINDOW = "?window=6h";

    @TempDir
    static Path dir;

    private static final String OWNER_KEY = "analytics-it-owner-key-0123";
    private static final String OTHER_KEY = "analytics-it-other-key-0123";
    private static final PlaybackTokens TOKENS = new PlaybackTokens(
            "analytics-it-playback-token-key-0123456789".getBytes(StandardCharsets.UTF_8));
    private static String bootstrapServers;
    private static String applicationId;
    private static KafkaProducer<String, Envelope<?>> events;
    private static final List<Instance> instances = new ArrayList<>();
    private static final List<Envelope<?>> produced = Collections.synchronizedList(new ArrayList<>());
    private static final Random random = new Random(11);
    private static String publicA;
    private static String publicB;
    /** The third video: private, owned by "it" (whose key is {@link #OWNER_KEY}). */
    private static String hidden;
    /** Public by id, never listed. */
    private static String unlisted;

    /** An instance: a child JVM with its own port and state folder, which it keeps across restarts. */
    private record Instance(ChildProcess process, int port) {
        static Instance start(String name, String applicationId) {
            int port = Ports.free();
            Map<String, String> env = new HashMap<>();
            env.put("REEL_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
            env.put("REEL_INSTANCE_ID", name);
            env.put("REEL_ANALYTICS_PORT", Integer.toString(port));
            env.put("REEL_ANALYTICS_INTERNAL_PORT", Integer.toString(Ports.free()));
            env.put("REEL_ANALYTICS_APPLICATION_ID", applicationId);
            env.put("REEL_ANALYTICS_STATE_DIR", dir.resolve(name).resolve("state").toString());
            env.put("REEL_ANALYTICS_SESSION_TIMEOUT", "6s"); // a killed instance's partitions move within seconds
            env.put(PlaybackTokens.KEY_VARIABLE, "analytics-it-playback-token-key-0123456789");
            Instance instance = new Instance(new ChildProcess(name, List.of(JavaCommand.javaExecutable().toString(),
                    "-Xmx384m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName()), env, dir.resolve(name), dir.resolve(name + ".log")), port);
            instance.process.start();
            instances.add(instance);
            return instance;
        }

        void awaitReady() {
            Await.until(process.name() + " /readyz", START, () -> get("/readyz").statusCode() == 200, List.of(process));
        }

        HttpResponse<String> get(String pathAndQuery) throws Exception {
            return get(pathAndQuery, (String) null);
        }

        /** A GET with an owner's API key, or none. */
        HttpResponse<String> get(String pathAndQuery, String apiKey) throws Exception {
            return get(pathAndQuery, apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey));
        }

        HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(15)).GET();
            headers.forEach(request::header);
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        JsonNode json(String pathAndQuery) throws Exception {
            HttpResponse<String> response = get(pathAndQuery);
            assertThat(response.statusCode()).as("%s %s: %s", process.name(), pathAndQuery, response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }

        /** The overview's totals once answered (503 while partitions move counts as not yet). */
        long plays() throws Exception {
            HttpResponse<String> response = get("/api/analytics/overview" + WINDOW);
            return response.statusCode() == 200 ? JSON.readTree(response.body()).at("/totals/plays").asLong() : -1;
        }
    }

    @BeforeAll
    static void start(ClusterEndpoints cluster) throws Exception {
        bootstrapServers = cluster.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicBootstrap(admin, 1).ensure(Topics.all());
        }
        events = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
                new EventSerializer());
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        publicA = "anA_" + suffix;
        publicB = "anB_" + suffix;
        hidden = "anP_" + suffix;
        unlisted = "anU_" + suffix;
        ApiKeyWriter.write(new KafkaSettings(bootstrapServers, "analytics-it").producer("keys"), Topics.KEYS,
                List.of(ApiKeyRecord.added("it", OWNER_KEY, Instant.now()), ApiKeyRecord.added("other", OTHER_KEY,
                        Instant.now())),
                Duration.ofSeconds(30));
        try (KafkaProducer<String, VideoRecord> catalog = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers), new StringSerializer(), new VideoRecordSerializer())) {
            for (String id : List.of(publicA, publicB)) {
                catalog.send(new ProducerRecord<>(Topics.CATALOG, id, record(id, Visibility.PUBLIC))).get(30, TimeUnit.SECONDS);
            }
            catalog.send(new ProducerRecord<>(Topics.CATALOG, hidden, record(hidden, Visibility.PRIVATE))).get(30,
                    TimeUnit.SECONDS);
            catalog.send(new ProducerRecord<>(Topics.CATALOG, unlisted, record(unlisted, Visibility.UNLISTED))).get(30,
                    TimeUnit.SECONDS);
        }
        applicationId = "reel-analytics-it-" + suffix;
        Instance first = Instance.start("analytics-1", applicationId);
        Instance second = Instance.start("analytics-2", applicationId);
        first.awaitReady();
        second.awaitReady();
    }

    @AfterAll
    static void stop() {
        instances.forEach(i -> i.process().stop(Duration.ofSeconds(30)));
        if (events != null) {
            events.close();
        }
    }

    @Test
    @Order(1)
    void everyInstanceAnswersFiguresEqualToARecountAndAPrivateVideosOnlyToItsOwner() throws Exception {
        for (int n = 0; n < 60; n++) {
            send(List.of(publicA, publicB, hidden).get(n % 3), n);
        }
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers), new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.PLAYBACK, publicA.getBytes(StandardCharsets.UTF_8),
                    "{\"poison\":".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        send(publicA, 60); // after the poison record: still counted
        events.flush();

        Recount recount = Recount.of(produced);
        for (Instance instance : instances) {
            awaitPlays(instance, recount.plays);
            assertFiguresEqual(instance.json("/api/analytics/overview" + WINDOW).get("totals"), recount);
        }
        JsonNode overview = instances.get(0).json("/api/analytics/overview" + WINDOW);
        assertThat(overview).as("any instance answers the same").isEqualTo(instances.get(1).json(
                "/api/analytics/overview" + WINDOW));
        assertThat(overview.get("series")).hasSize(360);
        assertThat(overview.get("topVideos").findValuesAsText("videoId")).containsExactlyInAnyOrder(publicA, publicB);
        assertThat(overview.get("edges").findValuesAsText("edge")).contains("edge-1", "edge-2");
        assertThat(overview.get("renditions").findValuesAsText("rendition")).contains("240p", "360p");

        Recount ofA = Recount.of(produced.stream().filter(e -> e.subject().equals(publicA)).toList());
        JsonNode video = instances.get(1).json("/api/analytics/videos/" + publicA + WINDOW);
        assertThat(video.get("title").asText()).isEqualTo("Video " + publicA);
        assertFiguresEqual(video.get("totals"), ofA);
        // a private video's figures are its owner's: to anyone else it is an unknown id
        HttpResponse<String> nobody = instances.get(0).get("/api/analytics/videos/nobody");
        assertThat(nobody.statusCode()).isEqualTo(404);
        for (String key : new String[]{null, OTHER_KEY}) {
            HttpResponse<String> refused = instances.get(0).get("/api/analytics/videos/" + hidden, key);
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(refused.body()).isEqualTo(nobody.body().replace("nobody", hidden));
        }
        HttpResponse<String> owned = instances.get(0).get("/api/analytics/videos/" + hidden + WINDOW, OWNER_KEY);
        assertThat(owned.statusCode()).as(owned.body()).isEqualTo(200);
        assertFiguresEqual(JSON.readTree(owned.body()).get("totals"),
                Recount.of(produced.stream().filter(e -> e.subject().equals(hidden)).toList()));
        // a playback token opens them too, in the query or, as the dashboard sends it (out of logged URLs), a header
        String token = TOKENS.mint(hidden, Instant.now().plusSeconds(600));
        HttpResponse<String> byHeader = instances.get(1).get("/api/analytics/videos/" + hidden + WINDOW,
                Map.of("X-Reel-Playback-Token", token));
        assertThat(byHeader.statusCode()).as(byHeader.body()).isEqualTo(200);
        assertThat(JSON.readTree(byHeader.body()).get("totals")).isEqualTo(JSON.readTree(owned.body()).get("totals"));
        assertThat(instances.get(1).get("/api/analytics/videos/" + hidden + WINDOW + "&token=" + token).statusCode())
                .isEqualTo(200);
        assertThat(instances.get(1).get("/api/analytics/videos/" + hidden + WINDOW, Map.of("X-Reel-Playback-Token",
                TOKENS.mint(publicA, Instant.now().plusSeconds(600)))).statusCode()).as("another video's token")
                .isEqualTo(404);
        assertThat(instances.get(0).get("/api/analytics/videos/" + unlisted).statusCode()).as("unlisted: reachable by id")
                .isEqualTo(200);
        assertThat(instances.get(0).get("/api/analytics/internal/partials?granularity=minute&key=all&from=0&to=1")
                .statusCode()).as("the instance-to-instance reads are on the internal port only").isEqualTo(404);
        assertThat(instances.get(0).get("/api/analytics/videos/..%2Fx").statusCode()).isEqualTo(400);
        assertThat(instances.get(0).get("/api/analytics/overview?window=2h").statusCode()).isEqualTo(400);
        JsonNode edges = instances.get(0).json("/api/analytics/edges?window=15m");
        long perEdge = 0;
        for (JsonNode edge : edges.get("edges")) {
            perEdge += edge.at("/totals/segmentRequests").asLong();
        }
        assertThat(perEdge).as("the edges' requests add up").isEqualTo(recount.requests);
        assertThat(deadLetterSources()).contains(Topics.PLAYBACK);
    }

    @Test
    @Order(2)
    void anInstanceKilledWhileSessionsRunLosesAndDoublesNothing() throws Exception {
        CompletableFuture<Void> sessions = CompletableFuture.runAsync(() -> {
            for (int n = 100; n < 400; n++) {
                send(List.of(publicA, publicB, hidden).get(n % 3), n);
                if (n % 20 == 0) {
                    events.flush();
                    pause(Duration.ofMillis(400));
                }
            }
            events.flush();
        });
        pause(Duration.ofSeconds(3));
        Instance victim = instances.get(1);
        victim.process().kill();
        pause(Duration.ofSeconds(2));
        victim.process().start();
        sessions.get(2, TimeUnit.MINUTES);
        victim.awaitReady();

        Recount recount = Recount.of(produced);
        for (Instance instance : instances) {
            awaitPlays(instance, recount.plays);
            assertFiguresEqual(instance.json("/api/analytics/overview" + WINDOW).get("totals"), recount);
        }
        assertThat(instances.get(0).json("/api/analytics/overview" + WINDOW)).isEqualTo(instances.get(1).json(
                "/api/analytics/overview" + WINDOW));
    }

    @Test
    @Order(3)
    void aFreshApplicationIdReplayingTheTopicGivesTheSameFigures() throws Exception {
        Instance original = instances.get(0);
        long plays = original.plays();
        Instance replay = Instance.start("analytics-replay", applicationId + "-replay");
        replay.awaitReady();
        awaitPlays(replay, plays);
        // both answers over the same window (a minute boundary may pass between two requests)
        JsonNode[] answers = new JsonNode[2];
        Await.until("the replay answers what the original answers", CONVERGE, () -> {
            answers[0] = original.json("/api/analytics/overview" + WINDOW);
            answers[1] = replay.json("/api/analytics/overview" + WINDOW);
            return answers[0].get("from").equals(answers[1].get("from"))
                    && answers[0].get("totals").equals(answers[1].get("totals"));
        }, List.of(replay.process()));
        for (String part : List.of("totals", "series", "renditions", "edges", "topVideos")) {
            assertThat(answers[1].get(part)).as(part).isEqualTo(answers[0].get(part));
        }
        assertThat(replay.json("/api/analytics/videos/" + publicB + WINDOW).get("totals"))
                .isEqualTo(original.json("/api/analytics/videos/" + publicB + WINDOW).get("totals"));
    }

    private static void assertFiguresEqual(JsonNode totals, Recount recount) {
        assertThat(totals.get("plays").asLong()).as("plays").isEqualTo(recount.plays);
        assertThat(totals.get("uniqueSessions").asLong()).as("sessions").isEqualTo(recount.plays);
        assertThat(totals.get("segmentRequests").asLong()).as("requests").isEqualTo(recount.requests);
        assertThat(totals.get("bytesServed").asLong()).as("bytes").isEqualTo(recount.bytes);
        assertThat(totals.get("stalls").asLong()).as("stalls").isEqualTo(recount.stalls);
        assertThat(totals.get("stallMillis").asLong()).as("stall time").isEqualTo(recount.stallMillis);
        assertThat(totals.get("watchMillis").asLong()).as("watch time").isEqualTo(recount.watchMillis);
        assertThat(totals.get("playbackFailures").asLong()).as("failures").isEqualTo(recount.failures);
        assertThat(totals.get("exitsBeforeStart").asLong()).as("exits").isEqualTo(recount.exitsBeforeStart);
        assertThat(totals.get("startups").asLong()).as("startups").isEqualTo(recount.startups.size());
        assertThat(totals.get("cacheHitRatio").asDouble()).as("hit ratio")
                .isCloseTo(Math.round(1_000.0 * recount.cacheHits / recount.requests) / 1_000.0,
                        org.assertj.core.data.Offset.offset(0.0005));
        // a sketch: within 3% of the exact median and 95th percentile of the recounted startup times
        assertThat(totals.get("startupMillisP50").asDouble()).as("startup p50")
                .isCloseTo(recount.startupQuantile(0.5), org.assertj.core.data.Percentage.withPercentage(3));
        assertThat(totals.get("startupMillisP95").asDouble()).as("startup p95")
                .isCloseTo(recount.startupQuantile(0.95), org.assertj.core.data.Percentage.withPercentage(3));
    }

    private static void awaitPlays(Instance instance, long plays) {
        Await.until(instance.process().name() + " counted " + plays + " plays", CONVERGE, () -> instance.plays() == plays,
                List.of(instance.process()));
    }

    private static void send(String videoId, int n) {
        for (EventData data : Workload.session(videoId, n, random)) {
            Envelope<?> event = Envelope.of("edge/it", data);
            produced.add(event);
            events.send(new ProducerRecord<>(Topics.PLAYBACK, videoId, event));
        }
    }

    private static List<String> deadLetterSources() {
        List<String> topics = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DLQ).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until("a dead letter from analytics", CONVERGE, () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    var source = r.headers().lastHeader(DeadLetterHeaders.SOURCE);
                    if (source != null && new String(source.value(), StandardCharsets.UTF_8).startsWith("analytics-streams/")) {
                        topics.add(new String(r.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(),
                                StandardCharsets.UTF_8));
                    }
                });
                return !topics.isEmpty();
            }, List.of());
        }
        return topics;
    }

    private static VideoRecord record(String videoId, Visibility visibility) {
        Rendition r240 = new Rendition("240p", 426, 240, 440_000, 380_000, "avc1.42c015,mp4a.40.2", 30,
                "media/" + videoId + "/240p/index.m3u8", 3, 12, false);
        return new VideoRecord(videoId, "Video " + videoId, null, visibility, "it",
                new SourceFacts(1, "0".repeat(64), 12, 426, 240, "h264", "aac", "originals/" + videoId + "/source", null),
                VideoState.READY, 100, null, List.of(r240), null, Map.of(VideoState.READY, Instant.now()), Instant.now(), 1);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
