package dev.reel.catalog.it;

import static dev.reel.catalog.TestEvents.completed;
import static dev.reel.catalog.TestEvents.play;
import static dev.reel.catalog.TestEvents.ready;
import static dev.reel.catalog.TestEvents.retitled;
import static dev.reel.catalog.TestEvents.started;
import static dev.reel.catalog.TestEvents.uploaded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.catalog.query.ApiResponse;
import dev.reel.cluster.Await;
import dev.reel.cluster.Ports;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.Visibility;
import dev.reel.events.dlq.DeadLetterHeaders;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeyRecord;
import dev.reel.service.auth.ApiKeyWriter;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.kafka.KafkaSettings;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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
 * Two catalog instances as separate JVMs on the real broker: queries are answered from any instance,
 * an instance killed with SIGKILL loses nothing, and view counts stay exact across the crash.
 * The scenarios build on each other (same two instances, same videos), so they run in order.
 */
@RealCluster
@TestMethodOrder(OrderAnnotation.class)
class CatalogClusterIT {

    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration CONVERGE = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE_KEY = "alice-catalog-key-0123456789";
    private static final String BOB_KEY = "bob-catalog-key-0123456789";
    private static final byte[] TOKEN_KEY = "a-playback-token-key-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    private static String bootstrapServers;
    private static Producer<String, Envelope<?>> events;
    private static CatalogProcess first;
    private static CatalogProcess second;
    private static final List<String> videos = new ArrayList<>();

    @BeforeAll
    static void start(ClusterEndpoints cluster) {
        bootstrapServers = cluster.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicBootstrap(admin, 1).ensure(Topics.all());
        }
        events = new KafkaProducer<>(producerConfig(), new StringSerializer(), new EventSerializer());
        String applicationId = "reel-catalog-it-" + UUID.randomUUID().toString().substring(0, 8);
        ApiKeyWriter.write(new KafkaSettings(bootstrapServers, "catalog-it").producer("keys"), Topics.KEYS,
                List.of(ApiKeyRecord.added("alice", ALICE_KEY, Instant.now()), ApiKeyRecord.added("bob", BOB_KEY, Instant.now())),
                Duration.ofSeconds(30));
        Map<String, String> env = Map.of("REEL_PLAYBACK_TOKEN_KEY", new String(TOKEN_KEY, StandardCharsets.UTF_8));
        first = new CatalogProcess("catalog-1", Ports.free(), Ports.free(), bootstrapServers, applicationId,
                dir.resolve("catalog-1"), env);
        second = new CatalogProcess("catalog-2", Ports.free(), Ports.free(), bootstrapServers, applicationId,
                dir.resolve("catalog-2"), env);
        first.start();
        second.start();
        first.awaitReady(START);
        second.awaitReady(START);
    }

    @AfterAll
    static void stop() {
        for (CatalogProcess instance : new CatalogProcess[]{first, second}) {
            if (instance != null) {
                instance.stop();
            }
        }
        if (events != null) {
            events.close();
        }
    }

    @Test
    @Order(1)
    void anyInstanceAnswersAnyKeyAndPagesAcrossBoth() throws Exception {
        for (int i = 0; i < 24; i++) {
            String videoId = "it" + i + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            videos.add(videoId);
            publishLifeOf(videoId);
        }
        events.flush();
        awaitAllReady(first, videos);

        Map<String, String> servedBy = new HashMap<>();
        for (String videoId : videos) {
            HttpResponse<String> viaFirst = first.get("/api/catalog/videos/" + videoId);
            HttpResponse<String> viaSecond = second.get("/api/catalog/videos/" + videoId);
            assertThat(viaFirst.statusCode()).isEqualTo(200);
            assertThat(viaFirst.body()).isEqualTo(viaSecond.body());
            assertThat(viaFirst.headers().firstValue(ApiResponse.STALE_HEADER)).isEmpty();
            servedBy.put(videoId, viaFirst.headers().firstValue(ApiResponse.SERVED_BY_HEADER).orElseThrow());
            assertThat(viaSecond.headers().firstValue(ApiResponse.SERVED_BY_HEADER)).contains(servedBy.get(videoId));
        }
        // Six partitions over two instances: each owns some keys, so half the answers above were forwarded.
        assertThat(new HashSet<>(servedBy.values())).containsExactlyInAnyOrder(first.hostAndPort(), second.hostAndPort());

        JsonNode record = JSON.readTree(first.get("/api/catalog/videos/" + videos.getFirst()).body());
        assertThat(record.get("state").asText()).isEqualTo("READY");
        assertThat(record.get("renditions")).hasSize(3);
        assertThat(record.get("renditions").get(0).get("name").asText()).isEqualTo("240p");

        List<String> listed = listAll(second, "READY", 5);
        assertThat(listed).doesNotHaveDuplicates().isSorted().containsAll(videos);

        assertThat(first.get("/api/catalog/videos/nosuchvideo123").statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(first.get("/api/catalog/videos/nosuchvideo123").body()).get("videoId").asText())
                .isEqualTo("nosuchvideo123");
        assertThat(first.get("/api/catalog/videos/bad%20id").statusCode()).isEqualTo(400);
        assertThat(first.get("/api/catalog/videos?limit=0").statusCode()).isEqualTo(400);
        assertThat(first.get("/api/catalog/videos?state=DANCING").statusCode()).isEqualTo(400);
        assertThat(first.get("/api/catalog/videos?cursor=!!").statusCode()).isEqualTo(400);
        assertThat(first.get("/api/catalog/trending?window=7d").statusCode()).isEqualTo(400);
        assertThat(first.get("/api/catalog/videos?visibility=secret").statusCode()).isEqualTo(400);
        // The test videos are alice's and public: her private listing does not show them, her "any" listing does.
        assertThat(first.get("/api/catalog/videos?visibility=private&limit=200", ALICE_KEY).body())
                .doesNotContain(videos.getFirst());
        assertThat(first.get("/api/catalog/videos?visibility=any&state=READY&limit=200", ALICE_KEY).body())
                .contains(videos.getFirst());
        assertThat(first.get("/metrics").body()).contains("kafka_stream", "reel_catalog_query_seconds");

        // The instance-to-instance API is on its own port only, and the public API is not there.
        assertThat(first.get("/internal/videos/" + videos.getFirst()).statusCode()).isEqualTo(404);
        assertThat(first.getInternal("/internal/videos/" + videos.getFirst()).statusCode()).isEqualTo(200);
        assertThat(first.getInternal("/api/catalog/videos/" + videos.getFirst()).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aPrivateVideoIsAnUnknownIdToAnyoneButItsOwnerOrATokenHolder() throws Exception {
        String secret = "secret_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String hidden = "unlisted_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        for (var video : Map.of(secret, Visibility.PRIVATE, hidden, Visibility.UNLISTED).entrySet()) {
            send(uploaded(video.getKey(), "alice", video.getValue()));
            send(started(video.getKey()));
            send(ready(video.getKey(), "240p", 240, 450_000));
            send(completed(video.getKey()));
        }
        for (int i = 0; i < 3; i++) {
            send(play(secret));
            send(play(hidden));
        }
        events.flush();
        Await.until("the private video READY for its owner", CONVERGE,
                () -> first.get("/api/catalog/videos/" + secret, ALICE_KEY).body().contains("\"state\":\"READY\""), List.of());

        String unknownId = "nosuch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        for (CatalogProcess instance : List.of(first, second)) {
            for (String key : new String[]{null, BOB_KEY, "not-a-key-at-all-123456"}) {
                HttpResponse<String> denied = instance.get("/api/catalog/videos/" + secret, key);
                HttpResponse<String> unknown = instance.get("/api/catalog/videos/" + unknownId, key);
                assertThat(denied.statusCode()).isEqualTo(404);
                assertThat(denied.body()).isEqualTo(unknown.body().replace(unknownId, secret));
                assertThat(denied.headers().map().keySet()).isEqualTo(unknown.headers().map().keySet());
                assertThat(instance.get("/api/catalog/videos/" + secret + "/views", key).body())
                        .isEqualTo(instance.get("/api/catalog/videos/" + unknownId + "/views", key).body()
                                .replace(unknownId, secret));
            }
            assertThat(instance.get("/api/catalog/videos/" + secret, ALICE_KEY).statusCode()).isEqualTo(200);
            String token = new PlaybackTokens(TOKEN_KEY).mint(secret, Instant.now().plusSeconds(60));
            assertThat(instance.get("/api/catalog/videos/" + secret + "?token=" + token).statusCode()).isEqualTo(200);
            assertThat(instance.get("/api/catalog/videos/" + secret + "/views?token=" + token).statusCode()).isEqualTo(200);
            String otherVideosToken = new PlaybackTokens(TOKEN_KEY).mint(hidden, Instant.now().plusSeconds(60));
            assertThat(instance.get("/api/catalog/videos/" + secret + "?token=" + otherVideosToken).statusCode())
                    .as("a token of another video").isEqualTo(404);
            String expired = new PlaybackTokens(TOKEN_KEY).mint(secret, Instant.now().minusSeconds(1));
            assertThat(instance.get("/api/catalog/videos/" + secret + "?token=" + expired).statusCode()).as("expired")
                    .isEqualTo(404);
            // Unlisted: reachable by id by anyone, listed to nobody but its owner.
            assertThat(instance.get("/api/catalog/videos/" + hidden).statusCode()).isEqualTo(200);
        }
        assertThat(first.get("/api/catalog/videos?visibility=any&limit=200").statusCode()).isEqualTo(401);
        assertThat(first.get("/api/catalog/videos?visibility=private&limit=200").statusCode()).isEqualTo(401);
        assertThat(first.get("/api/catalog/videos?visibility=unlisted&limit=200").statusCode()).isEqualTo(401);
        assertThat(first.get("/api/catalog/videos?limit=200").body()).doesNotContain(secret, hidden);
        assertThat(first.get("/api/catalog/videos?visibility=any&limit=200", BOB_KEY).body()).doesNotContain(secret, hidden);
        assertThat(first.get("/api/catalog/videos?visibility=any&limit=200", ALICE_KEY).body()).contains(secret, hidden);
        assertThat(second.get("/api/catalog/videos?visibility=private&limit=200", ALICE_KEY).body()).contains(secret)
                .doesNotContain(hidden);
        // Trending: only public videos, however much the others are played.
        Await.until("the plays counted", CONVERGE,
                () -> first.get("/api/catalog/videos/" + secret + "/views", ALICE_KEY).body().contains("\"views\":3"), List.of());
        assertThat(first.get("/api/catalog/trending?window=1h&limit=100").body()).doesNotContain(secret, hidden);
    }

    @Test
    @Order(3)
    void poisonRecordGoesToTheDeadLetterTopicUnderExactlyOnce() throws Exception {
        String videoId = videos.getFirst();
        byte[] poison = ("{\"poison\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        try (Producer<String, byte[]> raw = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.TRANSCODE, videoId, poison)).get(30, TimeUnit.SECONDS);
        }
        send(retitled(videoId, "After the poison"));
        events.flush();
        Await.until("the edit after the poison record", CONVERGE,
                () -> first.get("/api/catalog/videos/" + videoId).body().contains("After the poison"), List.of());

        try (KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = dlq.partitionsFor(Topics.DLQ).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            dlq.assign(partitions);
            dlq.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            Await.until("the poison record on " + Topics.DLQ, CONVERGE, () -> {
                dlq.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (Arrays.equals(r.value(), poison)) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            }, List.of());
            ConsumerRecord<byte[], byte[]> dead = found.getFirst();
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(videoId);
            assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(), StandardCharsets.UTF_8))
                    .isEqualTo(Topics.TRANSCODE);
            assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.SOURCE).value(), StandardCharsets.UTF_8))
                    .startsWith("catalog-streams/catalog-");
        }
    }

    @Test
    @Order(4)
    void survivorAnswersEveryKeyAfterAKillAndTheRestartedInstanceLosesNothing() throws Exception {
        long killedAt = System.nanoTime();
        second.kill();
        Await.until("the survivor answers every key", CONVERGE, () -> allAnswered(first, videos, false), List.of());
        long anyAnswer = System.nanoTime();
        // Long before the dead instance's session times out, its keys come from the survivor's standbys.
        assertThat(videos.stream().filter(id -> isStale(first, id)).count()).isPositive();
        Await.until("the survivor answers every key from active stores", CONVERGE,
                () -> allAnswered(first, videos, true), List.of());
        long activeAnswer = System.nanoTime();
        System.out.printf("FAILOVER: after kill -9 of one of two instances (session timeout 6 s), the survivor answered"
                + " every key after %d ms, every key from an active store after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(anyAnswer - killedAt), TimeUnit.NANOSECONDS.toMillis(activeAnswer - killedAt));

        List<String> whileDown = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String videoId = "down" + i + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            whileDown.add(videoId);
            publishLifeOf(videoId);
        }
        events.flush();
        awaitAllReady(first, whileDown);
        videos.addAll(whileDown);

        second.start();
        second.awaitReady(START);
        awaitAllReady(second, videos);
        for (String videoId : videos) {
            assertThat(second.get("/api/catalog/videos/" + videoId).body())
                    .isEqualTo(first.get("/api/catalog/videos/" + videoId).body());
        }
        // Its state is back (from its folder and the changelog): it owns and serves keys again.
        Await.until("the restarted instance serves keys from its own stores", CONVERGE, () -> {
            for (String videoId : videos) {
                if (first.get("/api/catalog/videos/" + videoId).headers().firstValue(ApiResponse.SERVED_BY_HEADER)
                        .orElse("").equals(second.hostAndPort())) {
                    return true;
                }
            }
            return false;
        }, List.of());
    }

    @Test
    @Order(5)
    void viewCountsAreExactWhenAnInstanceCrashesMidStream() throws Exception {
        List<String> played = IntStream.range(0, 20)
                .mapToObj(i -> "plays" + i + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10))
                .toList();
        int perVideo = 500;
        int total = played.size() * perVideo;
        played.forEach(videoId -> send(uploaded(videoId))); // views are answered for videos that exist
        for (int i = 0; i < total; i++) {
            send(play(played.get(i % played.size())));
            if (i == total / 2) {
                events.flush();
                // Crash mid-stream: the instance dies with open transactions of counted plays.
                first.kill();
            }
        }
        events.flush();
        first.start();
        first.awaitReady(START);

        Await.until("exactly " + total + " views", Duration.ofMinutes(3), () -> {
            long sum = 0;
            for (String videoId : played) {
                HttpResponse<String> response = second.get("/api/catalog/videos/" + videoId + "/views");
                if (response.statusCode() != 200) {
                    return false;
                }
                long views = JSON.readTree(response.body()).get("views").asLong();
                assertThat(views).as("views of " + videoId + " never exceed what was played").isLessThanOrEqualTo(perVideo);
                sum += views;
            }
            return sum == total;
        }, List.of());
        // The restarted instance may still be restoring a partition it owns: its own copy then answers, marked stale
        // (Reel-Stale), possibly short. An unmarked answer must be exact, and in time every answer is.
        Await.until("the restarted instance answers every count unmarked", CONVERGE, () -> {
            for (String videoId : played) {
                HttpResponse<String> response = first.get("/api/catalog/videos/" + videoId + "/views");
                if (response.statusCode() != 200 || response.headers().firstValue(ApiResponse.STALE_HEADER).isPresent()) {
                    return false;
                }
                assertThat(JSON.readTree(response.body()).get("views").asLong()).as("views of " + videoId)
                        .isEqualTo(perVideo);
            }
            return true;
        }, List.of());
        JsonNode trending = JSON.readTree(second.get("/api/catalog/trending?window=1h&limit=5").body());
        assertThat(trending.get("window").asText()).isEqualTo("1h");
        assertThat(trending.get("videos")).hasSize(5);
        assertThat(trending.get("videos").get(0).get("views").asLong()).isEqualTo(perVideo);
    }

    @Test
    @Order(6)
    void stopsCleanlyOnSigterm() throws Exception {
        assertThat(second.stop()).as("catalog-2 ends on SIGTERM within the grace period").isTrue();
        assertThat(second.logTail()).contains("catalog-streams shutdown: catalog done");
        assertThat(first.get("/api/catalog/videos/" + videos.getFirst()).statusCode()).isIn(200, 503);
    }

    private static boolean isStale(CatalogProcess instance, String videoId) {
        try {
            return instance.get("/api/catalog/videos/" + videoId).headers().firstValue(ApiResponse.STALE_HEADER).isPresent();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void publishLifeOf(String videoId) {
        send(uploaded(videoId));
        send(started(videoId));
        send(ready(videoId, "240p", 240, 450_000));
        send(completed(videoId));
    }

    private static void send(EventData data) {
        Envelope<?> event = Envelope.of("test/it", data);
        events.send(new ProducerRecord<>(Topics.topicFor(data), data.videoId(), event));
    }

    private static void awaitAllReady(CatalogProcess instance, List<String> ids) {
        Await.until(ids.size() + " videos READY on " + instance.name(), CONVERGE, () -> {
            for (String videoId : ids) {
                HttpResponse<String> response = instance.get("/api/catalog/videos/" + videoId);
                if (response.statusCode() != 200 || !response.body().contains("\"state\":\"READY\"")) {
                    return false;
                }
            }
            return true;
        }, List.of());
    }

    private static boolean allAnswered(CatalogProcess instance, List<String> ids, boolean fromActiveOnly) throws Exception {
        for (String videoId : ids) {
            HttpResponse<String> response = instance.get("/api/catalog/videos/" + videoId);
            if (response.statusCode() != 200) {
                // While partitions move, the only acceptable non-answer is "try again".
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                return false;
            }
            if (fromActiveOnly && response.headers().firstValue(ApiResponse.STALE_HEADER).isPresent()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> listAll(CatalogProcess instance, String state, int pageSize) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        Set<String> cursors = new HashSet<>();
        do {
            HttpResponse<String> response = instance.get("/api/catalog/videos?state=" + state + "&limit=" + pageSize
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            assertThat(page.has("nextCursor")).isTrue();
            assertThat(page.get("videos").size()).isLessThanOrEqualTo(pageSize);
            page.get("videos").forEach(v -> ids.add(v.get("videoId").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            assertThat(cursor == null || cursors.add(cursor)).as("cursor repeats").isTrue();
        } while (cursor != null);
        return ids;
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
    }
}
