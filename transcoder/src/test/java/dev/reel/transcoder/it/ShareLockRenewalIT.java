package dev.reel.transcoder.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import dev.reel.transcoder.job.JobConsumer;
import dev.reel.transcoder.job.JobProcessor;
import dev.reel.transcoder.job.ShareGroupSetup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The share group's acquisition lock against the real broker, with a short lock (5 s; the test cluster lets a group go
 * below the broker's default floor of 15 s, which would make the job below run 37 s): a
 * {@link JobConsumer} renews it (KIP-1222 RENEW) so a job longer than the lock stays with its worker; a consumer
 * that holds a record without renewing loses it to another member when the lock runs out.
 */
@RealCluster
class ShareLockRenewalIT {

    private static final Duration LOCK = Duration.ofSeconds(5);
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    /** Who got which delivery of the record. */
    private record Delivery(String consumer, int deliveryCount) {
    }

    @Test
    void aJobLongerThanTheLockIsNotRedeliveredWhileItsWorkerLives(ClusterEndpoints cluster) throws Exception {
        String topic = newTopic(cluster);
        String group = newGroup(cluster);
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        List<String> finished = new CopyOnWriteArrayList<>();
        try (JobConsumer a = consumer(cluster, group, topic, "a", slowJob("a", deliveries, finished));
                JobConsumer b = consumer(cluster, group, topic, "b", slowJob("b", deliveries, finished))) {
            send(cluster, topic, "job-1");
            Await.until("the long job to finish", DEADLINE.plus(LOCK.multipliedBy(3)), () -> !finished.isEmpty(), List.of());
            assertThat(deliveries).as("one delivery: the lock was renewed past its %s while the job ran for %s", LOCK,
                    LOCK.multipliedBy(5).dividedBy(2)).hasSize(1).allMatch(d -> d.deliveryCount() == 1);
        }
    }

    @Test
    void aRecordHeldWithoutRenewalGoesToAnotherMemberWhenTheLockRunsOut(ClusterEndpoints cluster) throws Exception {
        String topic = newTopic(cluster);
        String group = newGroup(cluster);
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        try (KafkaShareConsumer<byte[], byte[]> holder = new KafkaShareConsumer<>(shareConsumerConfig(cluster, group, "holder"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            holder.subscribe(List.of(topic));
            send(cluster, topic, "job-2");
            Await.until("the holder to acquire the record", DEADLINE, () -> {
                ConsumerRecords<byte[], byte[]> records = holder.poll(Duration.ofMillis(500));
                records.forEach(r -> deliveries.add(new Delivery("holder", r.deliveryCount().orElseThrow())));
                return !records.isEmpty();
            }, List.of());
            // the holder neither acknowledges nor renews, and stays in the group
            JobProcessor quick = (record, count) -> {
                deliveries.add(new Delivery("other", count));
                return AcknowledgeType.ACCEPT;
            };
            long acquired = System.nanoTime();
            try (JobConsumer other = consumer(cluster, group, topic, "other", quick)) {
                Await.until("the other member to get the record", DEADLINE, () -> deliveries.size() == 2, List.of());
            }
            LoggerFactory.getLogger(ShareLockRenewalIT.class).info(
                    "redelivered to the other member {} ms after the holder acquired it",
                    Duration.ofNanos(System.nanoTime() - acquired).toMillis());
            assertThat(deliveries).containsExactly(new Delivery("holder", 1), new Delivery("other", 2));
        }
    }

    /** A job that takes two and a half lock durations (the work being simulated is time). */
    private static JobProcessor slowJob(String name, List<Delivery> deliveries, List<String> finished) {
        return (record, count) -> {
            deliveries.add(new Delivery(name, count));
            Thread.sleep(LOCK.multipliedBy(5).dividedBy(2));
            finished.add(name);
            return AcknowledgeType.ACCEPT;
        };
    }

    private static JobConsumer consumer(ClusterEndpoints cluster, String group, String topic, String name,
            JobProcessor processor) {
        return new JobConsumer(new KafkaShareConsumer<>(shareConsumerConfig(cluster, group, name), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), topic, processor, 1, LOCK, Duration.ofSeconds(5), name).start();
    }

    private static Map<String, Object> shareConsumerConfig(ClusterEndpoints cluster, String group, String name) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.CLIENT_ID_CONFIG, name, ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit",
                ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    }

    private static String newTopic(ClusterEndpoints cluster) throws Exception {
        String topic = "it.lock." + UUID.randomUUID();
        try (Admin admin = admin(cluster)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static String newGroup(ClusterEndpoints cluster) throws Exception {
        String group = "it-lock-" + UUID.randomUUID();
        try (Admin admin = admin(cluster)) {
            ShareGroupSetup.apply(admin, group, LOCK);
        }
        return group;
    }

    private static Admin admin(ClusterEndpoints cluster) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    private static void send(ClusterEndpoints cluster, String topic, String value) throws Exception {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }
}
