package dev.reel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node KRaft cluster (RF 3, min.insync.replicas 2) loses a broker to kill -9 while a producer with
 * acks=all writes 10,000 events and a consumer reads them: nothing is lost, and the broker rejoins the ISR.
 */
class ThreeBrokerFailoverIT {

    private static final int EVENTS = 10_000;
    private static final String TOPIC = "failover";

    @TempDir
    static Path runDir;
    private static KafkaCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = KafkaCluster.start(KafkaClusterConfig.withFreePorts(runDir.resolve("kafka"), 3),
                runDir.resolve("logs"), Duration.ofMinutes(2));
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killedBrokerLosesNoEventAndRejoins() throws Exception {
        KafkaNode victim = cluster.node(2);
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        AtomicBoolean stopConsuming = new AtomicBoolean();
        CountDownLatch consumerAssigned = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<?> consumer = executor.submit(() -> consume(received, deliveries, stopConsuming, consumerAssigned));
        assertThat(consumerAssigned.await(60, TimeUnit.SECONDS)).isTrue();

        List<Future<RecordMetadata>> acks = new ArrayList<>(EVENTS);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                if (i == EVENTS / 5) {
                    producer.flush();
                    victim.kill();
                }
                if (i == EVENTS * 3 / 5) {
                    victim.start();
                }
                acks.add(producer.send(new ProducerRecord<>(TOPIC, "video-" + (i % 97), Integer.toString(i))));
                if (i % 500 == 0) {
                    Thread.sleep(20); // spread the writes over the kill and the restart
                }
            }
            producer.flush();
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(2, TimeUnit.MINUTES); // throws if any acks=all write failed
        }

        Await.until("the consumer to read all " + EVENTS + " events", Duration.ofMinutes(2),
                () -> received.size() == EVENTS, List.of());
        stopConsuming.set(true);
        consumer.get(30, TimeUnit.SECONDS);
        executor.shutdown();

        assertThat(received).hasSize(EVENTS);
        assertThat(deliveries.get()).isGreaterThanOrEqualTo(EVENTS);

        cluster.awaitBrokers(3, Duration.ofMinutes(1));
        try (Admin admin = admin()) {
            Await.until("broker 2 back in every ISR", Duration.ofMinutes(2), () -> {
                TopicDescription topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(TOPIC);
                return topic.partitions().stream().allMatch(p -> p.isr().stream().anyMatch(n -> n.id() == 2));
            }, List.of(victim.process()));
        }
    }

    private static void consume(Set<String> received, AtomicInteger deliveries, AtomicBoolean stop, CountDownLatch assigned) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "failover-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            while (!stop.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                    deliveries.incrementAndGet();
                }
                if (!consumer.assignment().isEmpty()) {
                    assigned.countDown();
                }
            }
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }
}
