package dev.reel.ingest.it;

import dev.reel.cluster.Await;
import dev.reel.cluster.S3Endpoint;
import dev.reel.events.Envelope;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.IngestConfig;
import dev.reel.ingest.IngestService;
import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.RetryPolicy;
import dev.reel.service.auth.ApiKeyRecord;
import dev.reel.service.auth.ApiKeyWriter;
import dev.reel.service.config.Env;
import dev.reel.service.kafka.KafkaSettings;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What ingest's integration tests share: the service's environment, clients, and looks into the topics and the bucket. */
public final class IngestHarness {

    public static final String ALICE_KEY = "alice-key-0123456789";
    public static final String BOB_KEY = "bob-key-0123456789";
    public static final String TOKEN_KEY = "a-playback-token-key-of-at-least-32-bytes";
    public static final int PART_BYTES = 5 * 1024 * 1024;

    private IngestHarness() {
    }

    /** Creates the topics and adds alice's and bob's API keys to {@code reel.keys}. */
    public static void ensureTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicBootstrap(admin, 1).ensure(Topics.all());
        }
        ApiKeyWriter.write(new KafkaSettings(bootstrapServers, "ingest-it").producer("keys"), Topics.KEYS,
                List.of(ApiKeyRecord.added("alice", ALICE_KEY, Instant.now()), ApiKeyRecord.added("bob", BOB_KEY, Instant.now())),
                Duration.ofSeconds(30));
    }

    /** The environment of an ingest process on a free port against these Kafka and S3 endpoints. */
    public static Map<String, String> environment(String bootstrapServers, S3Endpoint s3, String bucket) {
        Map<String, String> env = new HashMap<>();
        env.put("REEL_INSTANCE_ID", "ingest-it-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("REEL_INGEST_PORT", "0");
        env.put("REEL_PUBLIC_URL", "http://reel.test:8080");
        env.put("REEL_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("REEL_S3_ENDPOINT", s3.url());
        env.put("REEL_S3_ACCESS_KEY", s3.accessKey());
        env.put("REEL_S3_SECRET_KEY", s3.secretKey());
        env.put("REEL_S3_REGION", s3.region());
        env.put("REEL_S3_BUCKET", bucket);
        env.put("REEL_INGEST_PART_BYTES", Integer.toString(PART_BYTES));
        env.put("REEL_PLAYBACK_TOKEN_KEY", TOKEN_KEY);
        return env;
    }

    /** Starts ingest and waits until it is ready (its API keys read, Kafka and S3 reachable). */
    public static IngestService start(Map<String, String> environment) throws Exception {
        IngestService service = IngestService.start(IngestConfig.from(new Env(environment)));
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/readyz")).build();
        Await.until("ingest ready", Duration.ofMinutes(1),
                () -> http().send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200, List.of());
        return service;
    }

    public static IngestClient client(URI api, String key, int chunkBytes) {
        return IngestClient.builder(api, key).chunkBytes(chunkBytes)
                .retry(new RetryPolicy(10, Duration.ofMillis(200), Duration.ofSeconds(2))).build();
    }

    public static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Every event on {@code topic} from the given offsets to the end, waiting until one matches {@code until} (if given). */
    public static List<Envelope<?>> events(String bootstrapServers, String topic, Map<TopicPartition, Long> from,
            Predicate<List<Envelope<?>>> until, Duration deadline) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Envelope<?>> events = new ArrayList<>();
        try (KafkaConsumer<String, Envelope<?>> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new EventDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, from.getOrDefault(partition, 0L));
            }
            long end = System.nanoTime() + deadline.toNanos();
            while (true) {
                for (ConsumerRecord<String, Envelope<?>> record : consumer.poll(Duration.ofMillis(300))) {
                    events.add(record.value());
                }
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                boolean atEnd = partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
                if (atEnd && until.test(events)) {
                    return events;
                }
                if (System.nanoTime() > end) {
                    throw new AssertionError("no matching events on " + topic + " within " + deadline + "; saw " + events);
                }
            }
        }
    }

    /** The end offsets of a topic now, to read only what comes after. */
    public static Map<TopicPartition, Long> endOffsets(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    public static List<String> keys(MinioAsyncClient s3, String bucket, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : s3
                .listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    /** Multipart uploads still open in the bucket (a leak if a test's upload ended). */
    public static List<String> openMultipartUploads(MinioAsyncClient s3, String bucket) throws Exception {
        var result = s3.listMultipartUploads(ListMultipartUploadsArgs.builder().bucket(bucket).build()).get().result();
        return result.uploads() == null
                ? List.of()
                : result.uploads().stream().map(u -> u.objectName() + "#" + u.uploadId()).toList();
    }
}
