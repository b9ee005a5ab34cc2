package dev.reel.analytics.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.analytics.AnalyticsService;
import dev.reel.analytics.PlaybackEvents;
import dev.reel.analytics.config.AnalyticsConfig;
import dev.reel.analytics.topology.AnalyticsTopology;
import dev.reel.cluster.Await;
import dev.reel.cluster.KafkaCluster;
import dev.reel.cluster.KafkaClusterConfig;
import dev.reel.cluster.Ports;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.events.serde.EventSerde;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.service.config.Env;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;

/**
 * The analytics benchmark (not a test), on a single-node broker it starts itself:
 * <ol>
 *   <li>throughput: the same {@code reel.playback} records read from the beginning by analytics-streams under
 *       {@code exactly_once_v2} (one instance, one stream thread, RUNNING until its committed offsets reach the end) and
 *       by a plain {@code KafkaConsumer} that only deserializes each event (the ceiling), alternating, several rounds;</li>
 *   <li>freshness: one instance under a steady load; a marker play is written every 250 ms and the query API is asked
 *       until the marker shows: event to query answer, p50 and p95.</li>
 * </ol>
 * Arguments: {@code sessions=20000 rounds=3 markers=100 loadPerSecond=300 threads=1 commitMs=0} (stream threads and
 * commit interval of the analytics instances). See the module README for the command.
 */
public final class AnalyticsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String bootstrapServers;
    private final Path work;

    private final int threads;
    private final int commitMs;

    private AnalyticsBenchmark(String bootstrapServers, Path work, int threads, int commitMs) {
        this.bootstrapServers = bootstrapServers;
        this.work = work;
        this.threads = threads;
        this.commitMs = commitMs;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = new HashMap<>(Map.of("sessions", 20_000, "rounds", 3, "markers", 100,
                "loadPerSecond", 300, "threads", 1, "commitMs", 0));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], Integer.parseInt(kv[1]));
        }
        Path work = Files.createTempDirectory("analytics-bench");
        try (KafkaCluster kafka = KafkaCluster.start(KafkaClusterConfig.withFreePorts(work.resolve("kafka"), 1),
                work.resolve("logs"), Duration.ofMinutes(2))) {
            AnalyticsBenchmark bench = new AnalyticsBenchmark(kafka.bootstrapServers(), work, options.get("threads"),
                    options.get("commitMs"));
            long events = bench.prepare(options.get("sessions"));
            bench.throughput(events, options.get("rounds"));
            bench.freshness(options.get("markers"), options.get("loadPerSecond"));
        }
        System.exit(0);
    }

    /** Realistic sessions over 50 videos: a play, 8 CMCD-tagged segments, 3 beacons each. */
    private long prepare(int sessions) throws Exception {
        try (Admin admin = admin()) {
            new TopicBootstrap(admin, 1).ensure(Topics.all());
            // every partition led before writing: a batch sent to a partition still electing its leader can leave an
            // idempotent producer retrying OUT_OF_ORDER_SEQUENCE_NUMBER forever
            Await.until("every playback partition has a leader", Duration.ofMinutes(1), () -> admin
                    .describeTopics(List.of(Topics.PLAYBACK)).allTopicNames().get().get(Topics.PLAYBACK).partitions().stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty()), List.of());
            Thread.sleep(2_000);
        }
        Random random = new Random(5);
        long events = 0;
        try (KafkaProducer<String, Envelope<?>> producer = producer()) {
            for (int s = 0; s < sessions; s++) {
                for (EventData data : session("bench" + (s % 50), "s" + s, random)) {
                    producer.send(new ProducerRecord<>(Topics.PLAYBACK, data.videoId(), Envelope.of("edge/bench", data)));
                    events++;
                }
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "prepared %,d sessions, %,d events on %s%n", sessions, events, Topics.PLAYBACK);
        return events;
    }

    private static List<EventData> session(String videoId, String session, Random random) {
        List<EventData> events = new ArrayList<>();
        String edge = "edge-" + (1 + random.nextInt(2));
        events.add(PlaybackEvents.started(videoId, session, edge));
        for (int i = 0; i < 8; i++) {
            events.add(PlaybackEvents.segment(videoId, session, edge, i < 2 ? "240p" : "720p", random.nextInt(10) > 2,
                    200_000 + random.nextInt(2_000_000), 100 + random.nextInt(30_000), i < 2 ? 440 : 2_100));
        }
        long startup = 300 + random.nextInt(3_000);
        events.add(PlaybackEvents.beacon(videoId, session, 1, startup, 0, 0, 0, "240p", null, false));
        events.add(PlaybackEvents.beacon(videoId, session, 2, startup, 1, 400, 10_000, "720p", null, false));
        events.add(PlaybackEvents.beacon(videoId, session, 3, startup, 1, 400, 30_000, "720p", null, false));
        return events;
    }

    private void throughput(long events, int rounds) throws Exception {
        List<Double> exactlyOnce = new ArrayList<>();
        List<Double> ceiling = new ArrayList<>();
        List<Double> streamsOnly = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        streamsOnce(events, analytics()); // untimed: JIT, page cache, the transaction coordinator
        plainConsumerOnce(events);
        for (int round = 1; round <= rounds; round++) {
            boolean analyticsFirst = round % 2 == 1; // neither always gets the warmer JVM
            Run a = analyticsFirst ? streamsOnce(events, analytics()) : null;
            Run c = plainConsumerOnce(events);
            Run n = streamsOnce(events, readOnly());
            a = analyticsFirst ? a : streamsOnce(events, analytics());
            exactlyOnce.add(a.eventsPerSecond());
            ceiling.add(c.eventsPerSecond());
            streamsOnly.add(n.eventsPerSecond());
            ratios.add(a.eventsPerSecond() / c.eventsPerSecond());
            cpuRatios.add(c.cpuMicrosPerEvent() / a.cpuMicrosPerEvent());
            System.out.printf(Locale.ROOT, "round %d: analytics exactly_once_v2 %,10.0f events/s (%.1f us CPU/event), plain "
                    + "consumer %,10.0f events/s (%.1f us), Streams exactly_once_v2 deserializing only %,10.0f events/s "
                    + "(%.1f us); ratio %.2f%n", round, a.eventsPerSecond(), a.cpuMicrosPerEvent(), c.eventsPerSecond(),
                    c.cpuMicrosPerEvent(), n.eventsPerSecond(), n.cpuMicrosPerEvent(), ratios.getLast());
        }
        double eos = median(exactlyOnce);
        double plain = median(ceiling);
        double bare = median(streamsOnly);
        System.out.printf(Locale.ROOT,
                "THROUGHPUT median of %d rounds (%,d events, 1 instance, %d stream thread(s), %d ms commits): analytics "
                        + "exactly_once_v2 %,.0f events/s, plain deserializing consumer %,.0f events/s, ratio %.2f (median of the "
                        + "rounds' ratios %.2f; by client CPU per event %.2f); Kafka Streams exactly_once_v2 that only deserializes "
                        + "%,.0f events/s (ratio %.2f)%n",
                rounds, events, threads, commitMillis(), eos, plain, eos / plain, median(ratios), median(cpuRatios),
                bare, bare / plain);
    }

    /**
     * One timed read: its events/s, and the CPU this JVM (the client; the broker is a child process) spent per event
     * over the same stretch, which the other work on a shared machine disturbs less than the rate.
     */
    private record Run(double eventsPerSecond, double cpuMicrosPerEvent) {
        static Run since(long events, long startedNanos, long cpuNanosBefore) {
            double seconds = (System.nanoTime() - startedNanos) / 1e9;
            return new Run(events / seconds, (cpuNanos() - cpuNanosBefore) / 1_000.0 / events);
        }

        static long cpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    private static Topology analytics() {
        return AnalyticsTopology.build(g -> {
        });
    }

    /** The same source, serde and guarantee with nothing done per event: what Kafka Streams itself costs. */
    private static Topology readOnly() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.PLAYBACK, Consumed.<String, Envelope<?>>with(Serdes.String(), new EventSerde()))
                .foreach((key, value) -> {
                });
        return builder.build();
    }

    /** A fresh application id from the beginning; the clock runs from RUNNING until its committed offsets reach the end. */
    private Run streamsOnce(long events, Topology topology) throws Exception {
        String applicationId = "bench-analytics-" + UUID.randomUUID().toString().substring(0, 8);
        AnalyticsConfig config = config(applicationId, Ports.free(), 0);
        try (KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties()); Admin admin = admin()) {
            streams.start();
            Await.until("RUNNING", Duration.ofMinutes(2), () -> streams.state() == KafkaStreams.State.RUNNING, List.of());
            long cpu = Run.cpuNanos();
            long started = System.nanoTime();
            // asked every 10 ms, not with Await's back-off (up to 500 ms between probes): on runs of 2-3 s that back-off
            // rounded the end up by as much as a quarter of the run, the slower run more
            long deadline = started + Duration.ofMinutes(20).toNanos();
            while (committed(admin, applicationId) < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not all committed after 20 minutes");
                }
                Thread.sleep(10);
            }
            Run run = Run.since(events, started, cpu);
            streams.close(Duration.ofSeconds(30));
            return run;
        }
    }

    /** The ceiling: every record read and deserialized into its event, nothing else, read_committed like Streams. */
    private Run plainConsumerOnce(long events) {
        try (KafkaConsumer<String, Envelope<?>> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000), new StringDeserializer(), new EventDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PLAYBACK).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            long cpu = Run.cpuNanos();
            long started = System.nanoTime();
            while (read < events) {
                ConsumerRecords<String, Envelope<?>> records = consumer.poll(Duration.ofMillis(500));
                for (var record : records) {
                    if (record.value().data() != null) {
                        read++;
                    }
                }
            }
            return Run.since(events, started, cpu);
        }
    }

    private void freshness(int markers, int loadPerSecond) throws Exception {
        AnalyticsConfig config = config("bench-fresh-" + UUID.randomUUID().toString().substring(0, 8), Ports.free(), 1);
        try (AnalyticsService service = AnalyticsService.start(config);
                KafkaProducer<String, Envelope<?>> producer = producer()) {
            Await.until("analytics caught up", Duration.ofMinutes(20),
                    () -> service.streams().state() == KafkaStreams.State.RUNNING
                            && answers(config, "/api/analytics/edges?window=15m") != null,
                    List.of());
            AtomicBoolean loading = new AtomicBoolean(true);
            Thread load = Thread.ofPlatform().name("bench-load").start(() -> steadyLoad(producer, loadPerSecond, loading));
            List<Double> millis = new ArrayList<>();
            try {
                for (int m = 0; m < markers; m++) {
                    String edge = "probe-" + m;
                    long sent = System.nanoTime();
                    producer.send(new ProducerRecord<>(Topics.PLAYBACK, "fresh", Envelope.of("edge/bench",
                            PlaybackEvents.started("fresh", "marker-" + m, edge))));
                    producer.flush();
                    millis.add(untilShown(config, edge, sent));
                    Thread.sleep(250);
                }
            } finally {
                loading.set(false);
                load.join();
            }
            List<Double> sorted = millis.stream().sorted().toList();
            System.out.printf(Locale.ROOT, "FRESHNESS event -> query answer over %d markers under %d events/s: p50 %.0f ms, "
                    + "p95 %.0f ms, max %.0f ms (commit interval %d ms)%n", markers, loadPerSecond,
                    sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1), sorted.getLast(),
                    config.app().commitInterval().toMillis());
        }
    }

    /** Asks every 50 ms (a dashboard refreshing fast) until the marker's edge is in the answer; milliseconds since sent. */
    private static double untilShown(AnalyticsConfig config, String edge, long sentNanos) throws InterruptedException {
        long deadline = sentNanos + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode answer = answers(config, "/api/analytics/edges?window=15m");
            if (answer != null && answer.get("edges").findValuesAsText("edge").contains(edge)) {
                return (System.nanoTime() - sentNanos) / 1e6;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(edge + " never showed");
    }

    private static void steadyLoad(KafkaProducer<String, Envelope<?>> producer, int perSecond, AtomicBoolean loading) {
        Random random = new Random(9);
        long next = System.nanoTime();
        int s = 0;
        while (loading.get()) {
            for (EventData data : session("load" + (s % 20), "load-" + s, random)) {
                producer.send(new ProducerRecord<>(Topics.PLAYBACK, data.videoId(), Envelope.of("edge/bench", data)));
                next += 1_000_000_000L / perSecond;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            s++;
        }
    }

    private static JsonNode answers(AnalyticsConfig config, String path) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + config.app().port() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The commit interval of the analytics instances: {@code commitMs}, or the service's default when 0. */
    private long commitMillis() {
        return commitMs > 0 ? commitMs : AnalyticsConfig.DEFAULT_COMMIT_INTERVAL.toMillis();
    }

    private AnalyticsConfig config(String applicationId, int port, int standbys) {
        return AnalyticsConfig.from(new Env(Map.of("REEL_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "REEL_INSTANCE_ID", applicationId, "REEL_ANALYTICS_PORT", Integer.toString(port),
                "REEL_ANALYTICS_INTERNAL_PORT", Integer.toString(Ports.free()),
                "REEL_ANALYTICS_APPLICATION_ID", applicationId,
                "REEL_ANALYTICS_STATE_DIR", work.resolve(applicationId).toString(),
                "REEL_ANALYTICS_STANDBY_REPLICAS", Integer.toString(standbys),
                "REEL_ANALYTICS_STREAM_THREADS", Integer.toString(threads),
                "REEL_ANALYTICS_COMMIT_INTERVAL", commitMillis() + "ms")));
    }

    private long committed(Admin admin, String groupId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.PLAYBACK) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private KafkaProducer<String, Envelope<?>> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG,
                262_144), new StringSerializer(), new EventSerializer());
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

}
