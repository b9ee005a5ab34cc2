package dev.reel.catalog.bench;

import static dev.reel.catalog.TestEvents.completed;
import static dev.reel.catalog.TestEvents.progress;
import static dev.reel.catalog.TestEvents.ready;
import static dev.reel.catalog.TestEvents.started;
import static dev.reel.catalog.TestEvents.uploaded;

import dev.reel.catalog.CatalogService;
import dev.reel.catalog.config.CatalogConfig;
import dev.reel.catalog.config.StreamsSettings;
import dev.reel.catalog.query.ApiResponse;
import dev.reel.catalog.topology.CatalogTopology;
import dev.reel.cluster.KafkaCluster;
import dev.reel.cluster.KafkaClusterConfig;
import dev.reel.cluster.Ports;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.service.config.Env;
import dev.reel.service.ops.ServiceMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The catalog's benchmark (not a test): on a real single-node broker it starts itself,
 * <ol>
 *   <li>folds the same events with {@code exactly_once_v2} and with {@code at_least_once}, alternating, several
 *       rounds, one instance with one stream thread each time, and reports events folded per second;</li>
 *   <li>runs two instances and measures query latency (p50/p99) of keys this instance owns versus keys it
 *       forwards to the other, while a steady stream of events is folded.</li>
 * </ol>
 * Arguments: {@code videos=8000 rounds=3 queries=3000 loadPerSecond=500}. See the module README for the command.
 */
public final class CatalogBenchmark {

    private static final List<String> SOURCES = List.of(Topics.UPLOADS, Topics.TRANSCODE, Topics.METADATA);

    private final String bootstrapServers;
    private final Path work;

    private CatalogBenchmark(String bootstrapServers, Path work) {
        this.bootstrapServers = bootstrapServers;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = new HashMap<>(Map.of("videos", 8000, "rounds", 3, "queries", 3000, "loadPerSecond", 500));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], Integer.parseInt(kv[1]));
        }
        Path work = Files.createTempDirectory("catalog-bench");
        try (KafkaCluster kafka = KafkaCluster.start(KafkaClusterConfig.withFreePorts(work.resolve("kafka"), 1),
                work.resolve("logs"), Duration.ofMinutes(2))) {
            CatalogBenchmark bench = new CatalogBenchmark(kafka.bootstrapServers(), work);
            List<String> videoIds = bench.prepare(options.get("videos"));
            bench.foldThroughput(options.get("rounds"));
            bench.queryLatency(videoIds, options.get("queries"), options.get("loadPerSecond"));
        }
        System.exit(0);
    }

    /** Creates the topics and writes each video's whole life: 16 events per video. */
    private List<String> prepare(int videos) throws Exception {
        try (Admin admin = admin()) {
            new TopicBootstrap(admin, 1).ensure(Topics.all());
        }
        List<String> ids = new ArrayList<>();
        try (Producer<String, Envelope<?>> producer = producer()) {
            for (int v = 0; v < videos; v++) {
                String id = "bench" + v + "_" + UUID.randomUUID().toString().substring(0, 8);
                ids.add(id);
                send(producer, uploaded(id));
                send(producer, started(id));
                for (int p = 1; p <= 10; p++) {
                    send(producer, progress(id, p * 9.0));
                }
                send(producer, ready(id, "240p", 240, 450_000));
                send(producer, ready(id, "360p", 360, 900_000));
                send(producer, ready(id, "720p", 720, 3_000_000));
                send(producer, completed(id));
            }
            producer.flush();
        }
        System.out.printf("prepared %d videos, %d events%n", videos, videos * 16L);
        return ids;
    }

    private void foldThroughput(int rounds) throws Exception {
        long events = endOffsets();
        List<Double> exactlyOnce = new ArrayList<>();
        List<Double> atLeastOnce = new ArrayList<>();
        // One untimed fold of each first: JIT, and the broker's transaction coordinator, warm up.
        foldOnce(StreamsConfig.EXACTLY_ONCE_V2, events);
        foldOnce(StreamsConfig.AT_LEAST_ONCE, events);
        for (int round = 1; round <= rounds; round++) {
            // Alternate which goes first, so neither always gets the warmer JVM and page cache.
            List<String> order = round % 2 == 1
                    ? List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE)
                    : List.of(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2);
            for (String guarantee : order) {
                double rate = foldOnce(guarantee, events);
                (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) ? exactlyOnce : atLeastOnce).add(rate);
                System.out.printf("round %d %-16s %,10.0f events/s%n", round, guarantee, rate);
            }
        }
        double eos = median(exactlyOnce);
        double alos = median(atLeastOnce);
        System.out.printf("FOLD median over %d rounds (%,d events, 1 instance, 1 stream thread, commit every 100 ms):"
                + " exactly_once_v2 %,.0f events/s, at_least_once %,.0f events/s, ratio eos/alos %.2f%n",
                rounds, events, eos, alos, eos / alos);
    }

    /** Folds every event from the start with a fresh application id; the clock runs from RUNNING to no lag. */
    private double foldOnce(String guarantee, long events) throws Exception {
        String applicationId = "bench-fold-" + UUID.randomUUID().toString().substring(0, 8);
        CatalogConfig config = config(applicationId, Ports.free(), guarantee, 0);
        try (KafkaStreams streams = new KafkaStreams(CatalogTopology.build(), StreamsSettings.of(config));
                Admin admin = admin()) {
            streams.start();
            awaitUntil(Duration.ofMinutes(2), () -> streams.state() == KafkaStreams.State.RUNNING);
            long started = System.nanoTime();
            awaitUntil(Duration.ofMinutes(10), () -> committed(admin, applicationId) >= events);
            double seconds = (System.nanoTime() - started) / 1e9;
            streams.close(Duration.ofSeconds(30));
            return events / seconds;
        }
    }

    private void queryLatency(List<String> videoIds, int queries, int loadPerSecond) throws Exception {
        String applicationId = "bench-query-" + UUID.randomUUID().toString().substring(0, 8);
        CatalogConfig one = config(applicationId, Ports.free(), StreamsConfig.EXACTLY_ONCE_V2, 1);
        CatalogConfig two = config(applicationId, Ports.free(), StreamsConfig.EXACTLY_ONCE_V2, 1);
        long events = endOffsets();
        try (CatalogService first = CatalogService.start(one, ServiceMetrics.create("bench", "one"));
                CatalogService second = CatalogService.start(two, ServiceMetrics.create("bench", "two"));
                Admin admin = admin()) {
            awaitUntil(Duration.ofMinutes(10), () -> first.streams().state() == KafkaStreams.State.RUNNING
                    && second.streams().state() == KafkaStreams.State.RUNNING
                    && committed(admin, applicationId) >= events);
            String base = "http://127.0.0.1:" + one.publicPort();
            String self = one.advertised().host() + ":" + one.advertised().port();
            HttpClient http = HttpClient.newHttpClient();
            List<String> local = new ArrayList<>();
            List<String> forwarded = new ArrayList<>();
            // Right after start the assignment may still move: classify until both kinds of key are seen.
            awaitUntil(Duration.ofMinutes(2), () -> {
                local.clear();
                forwarded.clear();
                for (String id : videoIds.subList(0, Math.min(400, videoIds.size()))) {
                    HttpResponse<String> response = get(http, base, id);
                    if (response.statusCode() == 200) {
                        boolean here = response.headers().firstValue(ApiResponse.SERVED_BY_HEADER).orElse("").equals(self);
                        (here ? local : forwarded).add(id);
                    }
                }
                return local.size() >= 20 && forwarded.size() >= 20;
            });
            AtomicBoolean loading = new AtomicBoolean(true);
            Thread load = Thread.ofPlatform().name("bench-load").start(() -> steadyLoad(videoIds, loadPerSecond, loading));
            try {
                measure(http, base, local, queries / 5); // warm-up
                measure(http, base, forwarded, queries / 5);
                for (int round = 1; round <= 2; round++) {
                    long[] l = measure(http, base, local, queries);
                    long[] f = measure(http, base, forwarded, queries);
                    System.out.printf(
                            "QUERY round %d under %d events/s: local p50 %.2f ms p99 %.2f ms; forwarded p50 %.2f ms p99 %.2f ms%n",
                            round, loadPerSecond, ms(l, 0.50), ms(l, 0.99), ms(f, 0.50), ms(f, 0.99));
                }
            } finally {
                loading.set(false);
                load.join();
            }
        }
    }

    private static long[] measure(HttpClient http, String base, List<String> ids, int count) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
            long started = System.nanoTime();
            HttpResponse<String> response = get(http, base, id);
            nanos[i] = System.nanoTime() - started;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(id + " answered " + response.statusCode() + ": " + response.body());
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private void steadyLoad(List<String> videoIds, int perSecond, AtomicBoolean running) {
        try (Producer<String, Envelope<?>> producer = producer()) {
            long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long next = System.nanoTime();
            while (running.get()) {
                String id = videoIds.get(ThreadLocalRandom.current().nextInt(videoIds.size()));
                send(producer, progress(id, 50));
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpResponse<String> get(HttpClient http, String base, String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/catalog/videos/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CatalogConfig config(String applicationId, int port, String guarantee, int standbys) {
        return CatalogConfig.from(new Env(Map.of(
                "REEL_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "REEL_INSTANCE_ID", applicationId + "-" + port,
                "REEL_CATALOG_PORT", Integer.toString(port),
                "REEL_CATALOG_INTERNAL_PORT", Integer.toString(Ports.free()),
                "REEL_CATALOG_APPLICATION_ID", applicationId,
                "REEL_CATALOG_STATE_DIR", work.resolve("state-" + applicationId + "-" + port).toString(),
                "REEL_CATALOG_PROCESSING_GUARANTEE", guarantee,
                "REEL_CATALOG_STANDBY_REPLICAS", Integer.toString(standbys))));
    }

    private long endOffsets() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(SOURCES).allTopicNames().get().values().forEach(d -> d.partitions()
                    .forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    /** The group's committed offsets on the source topics (with exactly-once, committed with each transaction). */
    private static long committed(Admin admin, String groupId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                .get();
        Set<String> sources = Set.copyOf(SOURCES);
        return offsets.entrySet().stream()
                .filter(e -> sources.contains(e.getKey().topic()) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private Producer<String, Envelope<?>> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new EventSerializer());
    }

    private static void send(Producer<String, Envelope<?>> producer, EventData data) {
        producer.send(new ProducerRecord<>(Topics.topicFor(data), data.videoId(), Envelope.of("bench/1", data)));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("benchmark condition not reached within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double ms(long[] sortedNanos, double quantile) {
        return sortedNanos[(int) Math.min(sortedNanos.length - 1, Math.floor(quantile * sortedNanos.length))] / 1e6;
    }
}
