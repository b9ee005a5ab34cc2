package dev.reel.catalog.it;

import static dev.reel.catalog.TestEvents.completed;
import static dev.reel.catalog.TestEvents.play;
import static dev.reel.catalog.TestEvents.ready;
import static dev.reel.catalog.TestEvents.started;
import static dev.reel.catalog.TestEvents.uploaded;

import dev.reel.cluster.KafkaCluster;
import dev.reel.cluster.KafkaClusterConfig;
import dev.reel.cluster.Ports;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Catalog failover, run after run (not a test: a measurement): two instances with the production session timeout,
 * readers asking the ready ones (as the front door: /readyz every half second) for records and view counts (half the videos never played, so "absent" must be answered too),
 * then {@code kill -9} of one instance, started again a second later as the launcher's supervisor does. Per run: how
 * many answers were 503 and the longest a reader waited through 503s for one answer; and, from the instances' logs,
 * why each 503 was given, on the public API (what a client sees) and on the internal one (a forwarded read that the
 * asking instance then answered from another copy, or passed on as 503).
 *
 * <pre>infra/mvn -B -q -pl catalog-streams -am install -DskipTests
 * infra/mvn -B -q -pl catalog-streams exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.reel.catalog.it.FailoverRuns \
 *     -Dexec.args="runs=10"</pre>
 */
public final class FailoverRuns {

    private static final Pattern REASON = Pattern
            .compile("(/api/catalog|/internal)\\S* answered 503 \\((\\w+)\\): 503 \\{\"error\":\"([^\"]*)\"");

    private FailoverRuns() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>(Map.of("runs", "10", "videos", "30", "readers", "4", "after", "20"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv[1]);
        }
        int runs = Integer.parseInt(options.get("runs"));
        Path work = Files.createTempDirectory("catalog-failover");
        try (KafkaCluster kafka = KafkaCluster.start(KafkaClusterConfig.withFreePorts(work.resolve("kafka"), 1),
                work.resolve("logs"), Duration.ofMinutes(2))) {
            String servers = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                new TopicBootstrap(admin, 1).ensure(Topics.all());
            }
            List<String> videos = publish(servers, Integer.parseInt(options.get("videos")));
            String applicationId = "reel-catalog-failover-" + UUID.randomUUID().toString().substring(0, 8);
            // The production session timeout (45 s): the supervisor restarts a killed instance long before it expires.
            List<CatalogProcess> instances = List.of(
                    new CatalogProcess("catalog-1", Ports.free(), Ports.free(), servers, applicationId, work.resolve("catalog-1"),
                            Map.of("REEL_CATALOG_SESSION_TIMEOUT", "45s")),
                    new CatalogProcess("catalog-2", Ports.free(), Ports.free(), servers, applicationId, work.resolve("catalog-2"),
                            Map.of("REEL_CATALOG_SESSION_TIMEOUT", "45s")));
            instances.forEach(CatalogProcess::start);
            for (CatalogProcess instance : instances) {
                instance.awaitReady(Duration.ofMinutes(3));
            }
            Thread.sleep(10_000);
            System.out.println("run | killed | 503 answers | longest wait through 503s | 503 reasons (instance log)");
            try {
                for (int run = 1; run <= runs; run++) {
                    CatalogProcess victim = instances.get((run - 1) % 2);
                    Map<String, Long> before = reasons(instances);
                    Readers readers = new Readers(instances, videos, Integer.parseInt(options.get("readers")));
                    Thread.sleep(3_000);
                    victim.kill();
                    Thread.sleep(1_000); // the supervisor's first backoff
                    victim.start();
                    victim.awaitReady(Duration.ofMinutes(3));
                    Thread.sleep(Long.parseLong(options.get("after")) * 1000);
                    readers.stop();
                    Map<String, Long> after = reasons(instances);
                    after.replaceAll((reason, count) -> count - before.getOrDefault(reason, 0L));
                    after.values().removeIf(count -> count == 0);
                    System.out.printf("%d | %s | %d | %.1f s | %s%n", run, victim.name(), readers.unavailable.get(),
                            readers.longestNanos.get() / 1e9, after);
                    Thread.sleep(15_000);
                }
            } finally {
                instances.forEach(CatalogProcess::stop);
            }
        }
        System.exit(0);
    }

    private static List<String> publish(String servers, int count) throws Exception {
        List<String> videos = new ArrayList<>();
        try (Producer<String, Envelope<?>> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new EventSerializer())) {
            for (int i = 0; i < count; i++) {
                String id = "fo" + i + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
                videos.add(id);
                for (EventData data : List.of(uploaded(id), started(id), ready(id, "240p", 240, 450_000), completed(id))) {
                    producer.send(new ProducerRecord<>(Topics.topicFor(data), id, Envelope.of("failover/runs", data)));
                }
                if (i % 2 == 0) {
                    EventData view = play(id);
                    producer.send(new ProducerRecord<>(Topics.topicFor(view), id, Envelope.of("failover/runs", view)));
                }
            }
            producer.flush();
        }
        return videos;
    }

    /** Counts of "answered 503 (route): reason" lines in every instance's log so far. */
    private static Map<String, Long> reasons(List<CatalogProcess> instances) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (CatalogProcess instance : instances) {
            for (String line : Files.readAllLines(instance.logFile())) {
                Matcher m = REASON.matcher(line);
                if (m.find()) {
                    String api = m.group(1).equals("/internal") ? "internal" : "public";
                    counts.merge(api + " " + m.group(2) + ": " + m.group(3), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /** Readers that retry a 503 after its Retry-After, as the front door's clients do, and measure how long. */
    private static final class Readers {
        final AtomicLong unavailable = new AtomicLong();
        final LongAccumulator longestNanos = new LongAccumulator(Math::max, 0);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

        Readers(List<CatalogProcess> instances, List<String> videos, int count) {
            // As the front door: only instances whose /readyz said 200 at the last check (every half second) get queries.
            Map<CatalogProcess, Boolean> ready = new ConcurrentHashMap<>();
            instances.forEach(instance -> ready.put(instance, true));
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    for (CatalogProcess instance : instances) {
                        try {
                            ready.put(instance, instance.get("/readyz").statusCode() == 200);
                        } catch (Exception e) {
                            ready.put(instance, false);
                        }
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
            for (int r = 0; r < count; r++) {
                Random random = new Random(r);
                threads.add(Thread.ofPlatform().daemon().start(() -> {
                    while (running.get()) {
                        List<CatalogProcess> up = instances.stream().filter(ready::get).toList();
                        if (up.isEmpty()) {
                            continue;
                        }
                        CatalogProcess instance = up.get(random.nextInt(up.size()));
                        String id = videos.get(random.nextInt(videos.size()));
                        String path = "/api/catalog/videos/" + id + (random.nextBoolean() ? "/views" : "");
                        long first = System.nanoTime();
                        try {
                            HttpResponse<String> answer = instance.get(path);
                            while (answer.statusCode() == 503 && running.get()) {
                                unavailable.incrementAndGet();
                                Thread.sleep(1_000);
                                answer = instance.get(path);
                            }
                            longestNanos.accumulate(System.nanoTime() - first);
                            seen.put(path, true);
                        } catch (Exception e) {
                            // the killed instance: a client goes to the other one (the front door does)
                        }
                    }
                }));
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(15_000);
            }
        }
    }
}
