package dev.reel.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionReady;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeStarted;
import dev.reel.events.VideoUploaded;
import dev.reel.events.Visibility;
import dev.reel.events.dlq.DeadLetterHeaders;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.publish.EventWriter;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeyRecord;
import dev.reel.service.auth.ApiKeyWriter;
import dev.reel.service.config.Env;
import dev.reel.service.kafka.KafkaSettings;
import dev.reel.service.storage.CompletedPart;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.S3Settings;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import dev.reel.webhooks.WebhooksConfig;
import dev.reel.webhooks.WebhooksService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The webhooks service in-process against the real broker and S3 server, delivering to a receiver in the test that
 * verifies every signature: bad input refused and nothing written; signed deliveries; a receiver that is down, then a
 * service restart while it is down, then every event delivered; rotation; an endpoint that keeps failing disabled with
 * its reason; a poison record dead-lettered.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksIT {

    private static final String ALICE = "alice-key-0123456789";
    private static final String BOB = "bob-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private ClusterEndpoints cluster;
    private Map<String, String> env;
    private WebhooksService service;
    private Receiver receiver;
    private EventWriter writer;
    private ObjectStorage storage;
    private String endpointId;
    private String secret;

    @BeforeAll
    void start(ClusterEndpoints cluster) throws Exception {
        this.cluster = cluster;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            new TopicBootstrap(admin, 1).ensure(Topics.all());
        }
        // the owners' keys, as `reel keys add` writes them
        ApiKeyWriter.write(new KafkaSettings(cluster.bootstrapServers(), "webhooks-it").producer("keys"), Topics.KEYS,
                List.of(ApiKeyRecord.added("alice", ALICE, Instant.now()), ApiKeyRecord.added("bob", BOB, Instant.now())),
                Duration.ofSeconds(30));
        env = new HashMap<>();
        env.put("REEL_INSTANCE_ID", "webhooks-it");
        env.put("REEL_WEBHOOKS_PORT", "0");
        env.put("REEL_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        env.put("REEL_S3_ENDPOINT", cluster.s3().url());
        env.put("REEL_S3_ACCESS_KEY", cluster.s3().accessKey());
        env.put("REEL_S3_SECRET_KEY", cluster.s3().secretKey());
        env.put("REEL_S3_REGION", cluster.s3().region());
        env.put("REEL_S3_BUCKET", cluster.bucket());
        env.put("REEL_WEBHOOKS_SECRET_KEY", "a-webhook-secret-key-of-at-least-32-bytes");
        env.put("REEL_WEBHOOKS_ALLOWED_NETWORKS", "127.0.0.1/32");
        env.put("REEL_WEBHOOKS_RETRY_BASE", "500ms");
        env.put("REEL_WEBHOOKS_RETRY_MAX_INTERVAL", "2s");
        env.put("REEL_WEBHOOKS_DISABLE_AFTER", "3s");
        env.put("REEL_WEBHOOKS_DISABLE_MIN_FAILURES", "3");
        service = WebhooksService.start(WebhooksConfig.from(new Env(env)));
        receiver = Receiver.onFreePort();
        writer = new EventWriter(new KafkaProducer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all"),
                new ByteArraySerializer(), new ByteArraySerializer()), "test/webhooks-it", Duration.ofSeconds(30));
        storage = ObjectStorage.connect(S3Settings.from(new Env(env)), Duration.ZERO);
        awaitTrue("webhooks ready", Duration.ofSeconds(60), () -> status("/readyz") == 200);
    }

    @AfterAll
    void stop() {
        service.close();
        receiver.close();
        writer.close();
        storage.close();
    }

    @Test
    @Order(1)
    void badInputIsRefusedWithAReasonAndWritesNothing() throws Exception {
        assertThat(call("POST", "/api/webhooks", null, "{}").statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/webhooks", "wrong-key-123456", "{}").statusCode()).isEqualTo(401);
        Map<String, String> refused = Map.of(
                "not json", "the body is not valid JSON",
                "[1]", "the body must be a JSON object",
                "{\"events\":[\"*\"]}", "url is required",
                "{\"url\":\"ftp://127.0.0.1/x\",\"events\":[\"*\"]}", "url must be an http or https URL",
                "{\"url\":\"http://10.1.2.3/hook\",\"events\":[\"*\"]}", "10.1.2.3 is a private address",
                "{\"url\":\"http://127.0.0.2/hook\",\"events\":[\"*\"]}", "127.0.0.2 is a loopback address",
                "{\"url\":\"http://169.254.169.254/latest\",\"events\":[\"*\"]}", "link-local",
                "{\"url\":\"" + receiver.url("/ok") + "\"}", "events is required",
                "{\"url\":\"" + receiver.url("/ok") + "\",\"events\":[\"reel.segment.served\"]}", "not a deliverable event type",
                "{\"url\":\"" + receiver.url("/ok") + "\",\"events\":\"*\"}", "events must be a list of strings");
        for (var bad : refused.entrySet()) {
            HttpResponse<String> answer = call("POST", "/api/webhooks", ALICE, bad.getKey());
            assertThat(answer.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).get("error").asText()).as(bad.getKey()).contains(bad.getValue());
        }
        assertThat(json(call("GET", "/api/webhooks", ALICE, null)).get("webhooks")).as("nothing registered").isEmpty();
        assertThat(call("GET", "/api/webhooks/wh_doesnotexist", ALICE, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void signedDeliveriesSurviveAReceiverOutageAndAServiceRestart() throws Exception {
        HttpResponse<String> created = call("POST", "/api/webhooks", ALICE,
                "{\"url\":\"" + receiver.url("/ok") + "\",\"events\":[\"*\"],\"description\":\"it\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode endpoint = JSON.readTree(created.body());
        endpointId = endpoint.get("id").asText();
        secret = endpoint.get("secret").asText();
        receiver.trust(List.of(secret));
        assertThat(call("GET", "/api/webhooks/" + endpointId, BOB, null).statusCode()).as("another owner's").isEqualTo(404);
        assertThat(json(call("GET", "/api/webhooks/" + endpointId, ALICE, null)).has("secret")).isFalse();

        String video = newVideo("alice");
        List<String> ids = new ArrayList<>();
        ids.add(publish(uploaded(video, "alice")));
        ids.add(publish(new TranscodeStarted(video, "worker-1", 1, List.of("360p"))));
        awaitTrue("the first two events delivered", Duration.ofSeconds(30), () -> receiver.received.keySet().containsAll(ids));

        receiver.stop();
        ids.add(publish(new RenditionReady(video, rendition(video))));
        ids.add(publish(new TranscodeCompleted(video, "worker-1", List.of(rendition(video)), ObjectKeys.poster(video), 12_500)));
        awaitTrue("failed attempts recorded while the receiver is down", Duration.ofSeconds(30),
                () -> failedAttempts() >= 2);

        service.close(); // a restart while deliveries are due loses none of them
        service = WebhooksService.start(WebhooksConfig.from(new Env(env)));
        awaitTrue("webhooks ready again", Duration.ofSeconds(60), () -> status("/readyz") == 200);
        receiver.start();
        awaitTrue("every event delivered after the outage", Duration.ofSeconds(60),
                () -> receiver.received.keySet().containsAll(ids));
        assertThat(receiver.badSignatures).hasValue(0);
        assertThat(receiver.received.get(ids.get(3)).get("type").asText()).isEqualTo("reel.transcode.completed");
        assertThat(receiver.received.get(ids.get(3)).get("subject").asText()).isEqualTo(video);

        JsonNode deliveries = json(call("GET", "/api/webhooks/" + endpointId + "/deliveries", ALICE, null)).get("deliveries");
        awaitTrue("all four shown delivered", Duration.ofSeconds(10), () -> {
            JsonNode now = json(call("GET", "/api/webhooks/" + endpointId + "/deliveries", ALICE, null)).get("deliveries");
            return now.size() == 4 && allDelivered(now);
        });
        deliveries = json(call("GET", "/api/webhooks/" + endpointId + "/deliveries", ALICE, null)).get("deliveries");
        JsonNode completed = find(deliveries, ids.get(3));
        assertThat(completed.get("attempts").size()).as("failed while down, then delivered").isGreaterThanOrEqualTo(2);
        assertThat(completed.get("attempts").get(0).get("outcome").asText()).isEqualTo("RETRYING");
        assertThat(completed.get("attempts").get(0).get("error").asText()).isNotBlank();
        JsonNode last = completed.get("attempts").get(completed.get("attempts").size() - 1);
        assertThat(last.get("status").asInt()).isEqualTo(204);
        assertThat(json(call("GET", "/api/webhooks/" + endpointId, ALICE, null)).get("health").get("lastSuccessAt").isNull())
                .isFalse();
    }

    @Test
    @Order(3)
    void aRotatedSecretSignsBesideThePreviousOne() throws Exception {
        HttpResponse<String> rotated = call("POST", "/api/webhooks/" + endpointId + "/rotate-secret", ALICE, "");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String newSecret = JSON.readTree(rotated.body()).get("secret").asText();
        assertThat(newSecret).isNotEqualTo(secret);
        assertThat(JSON.readTree(rotated.body()).get("previousSecretValidUntil").isNull()).isFalse();

        receiver.trust(List.of(secret)); // a receiver that has not switched yet
        String video = newVideo("alice");
        String first = publish(uploaded(video, "alice"));
        awaitTrue("delivered, verified with the previous secret", Duration.ofSeconds(30),
                () -> receiver.received.containsKey(first));
        receiver.trust(List.of(newSecret)); // one that has
        String second = publish(new TranscodeStarted(video, "worker-1", 1, List.of("360p")));
        awaitTrue("delivered, verified with the new secret", Duration.ofSeconds(30),
                () -> receiver.received.containsKey(second));
        assertThat(receiver.signatureHeaders.getLast().split(" ")).hasSize(2);
        assertThat(receiver.badSignatures).hasValue(0);
    }

    @Test
    @Order(4)
    void anEndpointThatKeepsFailingIsDisabledAndTheOwnerSeesWhy() throws Exception {
        HttpResponse<String> created = call("POST", "/api/webhooks", BOB,
                "{\"url\":\"" + receiver.url("/fail") + "\",\"events\":[\"reel.video.uploaded\"]}");
        String failing = JSON.readTree(created.body()).get("id").asText();
        publish(uploaded(newVideo("bob"), "bob"));
        awaitTrue("disabled", Duration.ofSeconds(60),
                () -> !json(call("GET", "/api/webhooks/" + failing, BOB, null)).get("enabled").asBoolean());
        JsonNode endpoint = json(call("GET", "/api/webhooks/" + failing, BOB, null));
        assertThat(endpoint.get("disabledReason").asText()).contains("failed").contains("HTTP 500");
        assertThat(endpoint.get("health").get("consecutiveFailures").asInt()).isGreaterThanOrEqualTo(3);
        awaitTrue("its pending delivery abandoned", Duration.ofSeconds(30), () -> "ABANDONED".equals(
                json(call("GET", "/api/webhooks/" + failing + "/deliveries", BOB, null)).get("deliveries").get(0).get("state")
                        .asText()));
        int failsBefore = receiver.failAnswers.get();
        publish(uploaded(newVideo("bob"), "bob"));
        Thread.sleep(3_000); // what a disabled endpoint would have been sent by now
        assertThat(receiver.failAnswers.get()).as("no delivery to a disabled endpoint").isEqualTo(failsBefore);

        HttpResponse<String> enabled = call("PATCH", "/api/webhooks/" + failing, BOB, "{\"enabled\":true}");
        assertThat(JSON.readTree(enabled.body()).get("enabled").asBoolean()).isTrue();
        assertThat(JSON.readTree(enabled.body()).get("disabledReason").isNull()).isTrue();
        assertThat(call("DELETE", "/api/webhooks/" + failing, BOB, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/webhooks/" + failing, BOB, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(5)
    void aRecordThatIsNotAnEventGoesToTheDeadLetterTopic() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                cluster.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.UPLOADS, key, "{\"not\":\"an event\"}")).get();
        }
        String video = newVideo("alice");
        String after = publish(uploaded(video, "alice"));
        awaitTrue("the event after the poison record delivered", Duration.ofSeconds(30),
                () -> receiver.received.containsKey(after));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers()), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DLQ).stream()
                    .map(p -> new TopicPartition(Topics.DLQ, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> found = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
            assertThat(found).hasSize(1);
            assertThat(new String(found.getFirst().headers().lastHeader(DeadLetterHeaders.SOURCE).value(),
                    StandardCharsets.UTF_8)).isEqualTo("webhooks/webhooks-it");
        }
    }

    // --- helpers

    private String newVideo(String owner) throws Exception {
        String video = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        String key = ObjectKeys.original(video);
        String upload = storage.createMultipartUpload(key, Map.of(ObjectKeys.OWNER_METADATA, owner));
        CompletedPart part = storage.uploadPart(key, upload, 1, new byte[]{1, 2, 3}, 3).get();
        storage.completeMultipartUpload(key, upload, List.of(part));
        return video;
    }

    private static VideoUploaded uploaded(String video, String owner) {
        return new VideoUploaded(video, "A video", null, owner, Visibility.PUBLIC, "a.mp4", 3, "0".repeat(64), 12.5, 640, 360,
                "h264", "aac", ObjectKeys.original(video));
    }

    private static Rendition rendition(String video) {
        return new Rendition("360p", 640, 360, 880_000, 760_000, "avc1.4d401e,mp4a.40.2",
                30, ObjectKeys.renditionFile(video, "360p", ObjectKeys.PLAYLIST), 4, 12.5, false);
    }

    private String publish(EventData data) throws Exception {
        Envelope<EventData> envelope = Envelope.of("test/webhooks-it", data);
        writer.await(writer.send(envelope, null), envelope.type());
        return envelope.id();
    }

    private int failedAttempts() {
        JsonNode deliveries = json(call("GET", "/api/webhooks/" + endpointId + "/deliveries", ALICE, null)).get("deliveries");
        int failed = 0;
        for (JsonNode delivery : deliveries) {
            for (JsonNode attempt : delivery.get("attempts")) {
                failed += "RETRYING".equals(attempt.get("outcome").asText()) ? 1 : 0;
            }
        }
        return failed;
    }

    private static boolean allDelivered(JsonNode deliveries) {
        for (JsonNode d : deliveries) {
            if (!"DELIVERED".equals(d.get("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode find(JsonNode deliveries, String eventId) {
        for (JsonNode d : deliveries) {
            if (d.get("eventId").asText().equals(eventId)) {
                return d;
            }
        }
        throw new AssertionError("no delivery of " + eventId + " in " + deliveries);
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    private HttpResponse<String> call(String method, String path, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(200);
        }
    }
}
