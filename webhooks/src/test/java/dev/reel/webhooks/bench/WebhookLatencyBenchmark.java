package dev.reel.webhooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.reel.cluster.LocalCluster;
import dev.reel.cluster.Ports;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.TranscodeProgress;
import dev.reel.events.VideoUploaded;
import dev.reel.events.Visibility;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.publish.EventWriter;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeyRecord;
import dev.reel.service.auth.ApiKeyWriter;
import dev.reel.service.config.Env;
import dev.reel.service.kafka.KafkaSettings;
import dev.reel.webhooks.WebhooksConfig;
import dev.reel.webhooks.WebhooksService;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Webhook delivery latency, event time to the receiver's arrival, beside the latency of the same events to a plain
 * Kafka consumer (the floor any delivery starts from), in one run: a real broker and S3 server, the webhooks service
 * in-process, a receiver on this machine (an endpoint wanting every type), {@code events} events written at
 * {@code rate} per second spread over 20 videos, as the transcoder's progress events are.
 *
 * <pre>infra/mvn -B -q -pl webhooks -am install -DskipTests
 * infra/mvn -B -q -pl webhooks org.codehaus.mojo:exec-maven-plugin:3.6.4:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.reel.webhooks.bench.WebhookLatencyBenchmark [-Dexec.args="events rate"]</pre>
 */
public final class WebhookLatencyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path moduleDir = Path.of(WebhookLatencyBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent().getParent();
        Path runDir = Files.createTempDirectory(Files.createDirectories(moduleDir.resolve("target")), "latency-bench-");
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.forTests(runDir.resolve("cluster"), 1))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                new TopicBootstrap(admin, 1).ensure(Topics.all());
            }
            Map<String, Long> arrivals = new ConcurrentHashMap<>();
            int receiverPort = Ports.free();
            HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", receiverPort), 200);
            receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            receiver.createContext("/", exchange -> {
                long now = System.currentTimeMillis();
                JsonNode event = JSON.readTree(exchange.getRequestBody().readAllBytes());
                arrivals.putIfAbsent(event.get("id").asText(), now - Instant.parse(event.get("time").asText()).toEpochMilli());
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            receiver.start();
            ApiKeyWriter.write(new KafkaSettings(cluster.bootstrapServers(), "webhooks-bench").producer("keys"), Topics.KEYS,
                    List.of(ApiKeyRecord.added("bench", "bench-key-0123456789", Instant.now())), Duration.ofSeconds(30));
            Map<String, String> env = new HashMap<>();
            env.put("REEL_INSTANCE_ID", "webhooks-bench");
            env.put("REEL_WEBHOOKS_PORT", "0");
            env.put("REEL_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
            env.put("REEL_S3_ENDPOINT", cluster.s3Endpoint().url());
            env.put("REEL_S3_ACCESS_KEY", cluster.s3Endpoint().accessKey());
            env.put("REEL_S3_SECRET_KEY", cluster.s3Endpoint().secretKey());
            env.put("REEL_S3_BUCKET", LocalCluster.DEFAULT_BUCKET);
            env.put("REEL_WEBHOOKS_SECRET_KEY", "a-webhook-secret-key-of-at-least-32-bytes");
            env.put("REEL_WEBHOOKS_ALLOWED_NETWORKS", "127.0.0.1/32");
            env.put("REEL_LOG_LEVEL", "WARN");
            try (WebhooksService service = WebhooksService.start(WebhooksConfig.from(new Env(env)));
                    EventWriter writer = new EventWriter(
                            new KafkaProducer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(),
                                    "acks", "all", "linger.ms", 0), new ByteArraySerializer(), new ByteArraySerializer()),
                            "bench/writer",
                            Duration.ofSeconds(30));
                    KafkaConsumer<String, String> plain = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            cluster.bootstrapServers()), new StringDeserializer(), new StringDeserializer())) {
                HttpClient http = HttpClient.newHttpClient();
                String api = "http://127.0.0.1:" + service.port();
                waitReady(http, api);
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api + "/api/webhooks"))
                        .header("Authorization", "Bearer bench-key-0123456789")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://127.0.0.1:" + receiverPort
                                + "/\",\"events\":[\"*\"]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() != 201) {
                    throw new IllegalStateException(created.body());
                }
                List<TopicPartition> partitions = plain.partitionsFor(Topics.TRANSCODE).stream()
                        .map(p -> new TopicPartition(Topics.TRANSCODE, p.partition())).toList();
                plain.assign(partitions);
                plain.seekToEnd(partitions);
                partitions.forEach(plain::position);

                List<String> videos = new ArrayList<>();
                for (int v = 0; v < 20; v++) {
                    String video = "benchLatencyVideo" + String.format(Locale.ROOT, "%03d", v);
                    videos.add(video);
                    publish(writer, new VideoUploaded(video, "Latency", null, "bench", Visibility.PUBLIC, null, 1, "0".repeat(64),
                            60, 640, 360, "h264", "aac", ObjectKeys.original(video)));
                }
                Map<String, Long> consumed = new ConcurrentHashMap<>();
                Thread reader = Thread.ofPlatform().start(() -> {
                    while (consumed.size() < events) {
                        for (ConsumerRecord<String, String> record : plain.poll(Duration.ofMillis(100))) {
                            try {
                                JsonNode event = JSON.readTree(record.value());
                                consumed.putIfAbsent(event.get("id").asText(),
                                        System.currentTimeMillis() - Instant.parse(event.get("time").asText()).toEpochMilli());
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                });
                long pause = 1_000_000_000L / rate;
                long next = System.nanoTime();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < events; i++) {
                    ids.add(publish(writer,
                            new TranscodeProgress(videos.get(i % videos.size()), "bench", 100.0 * i / events, 1.0)));
                    next += pause;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!arrivals.keySet().containsAll(ids) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                reader.join(Duration.ofMinutes(1));
                List<Long> delivered = ids.stream().map(arrivals::get).filter(java.util.Objects::nonNull).sorted().toList();
                List<Long> kafka = ids.stream().map(consumed::get).filter(java.util.Objects::nonNull).sorted().toList();
                System.out.printf(Locale.ROOT, "%d events at %d/s over 20 videos, one endpoint wanting every type:%n", events,
                        rate);
                System.out.printf(Locale.ROOT, "plain consumer  n=%d  p50 %4d ms  p95 %4d ms  p99 %4d ms  max %4d ms%n",
                        kafka.size(), p(kafka, 0.5), p(kafka, 0.95), p(kafka, 0.99), kafka.getLast());
                System.out.printf(Locale.ROOT, "webhook         n=%d  p50 %4d ms  p95 %4d ms  p99 %4d ms  max %4d ms%n",
                        delivered.size(), p(delivered, 0.5), p(delivered, 0.95), p(delivered, 0.99), delivered.getLast());
                System.out.printf(Locale.ROOT, "webhook p95 - consumer p95 = %d ms%n", p(delivered, 0.95) - p(kafka, 0.95));
            } finally {
                receiver.stop(0);
            }
        }
    }

    private static String publish(EventWriter writer, EventData data) throws Exception {
        Envelope<EventData> envelope = Envelope.of("bench/writer", data);
        writer.await(writer.send(envelope, null), envelope.type());
        return envelope.id();
    }

    private static long p(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static void waitReady(HttpClient http, String api) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(api + "/readyz")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("webhooks not ready");
    }
}
