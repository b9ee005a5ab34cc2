package dev.reel.service.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of a (compacted) topic from the beginning into the caller's table and then follows it: a plain
 * consumer, assigned rather than subscribed (no group, no commits), on a daemon thread. Every process that keeps its
 * own copy of a small topic does it this way (an edge's catalog replica, every service's API keys).
 *
 * <p>{@link #isCaughtUp()} turns true once it has read up to the end offsets seen at start, so a process never answers
 * from a copy that misses records which were there when it started. It waits for the topic to exist: with no
 * partitions it would count as caught up on nothing. {@link #awaitPosition} lets a writer wait until its own write
 * has been applied, so an answer that follows a write reads it.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    /** What the caller does with each record, in partition order. */
    @FunctionalInterface
    public interface RecordHandler {
        void apply(ConsumerRecord<String, byte[]> record);
    }

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final RecordHandler handler;
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    /** Notified each time the positions move, for {@link #awaitPosition}. */
    private final Object advanced = new Object();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile boolean caughtUp;

    /**
     * @param consumerConfig a consumer configuration ({@link KafkaSettings#consumer}); its group is removed
     * @param handler        applies a record to the caller's table; it runs on the follower's thread only
     */
    public TopicFollower(String topic, Map<String, Object> consumerConfig, RecordHandler handler) {
        this.topic = topic;
        this.handler = handler;
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::follow, "follow-" + topic);
        thread.setDaemon(true);
    }

    public TopicFollower start() {
        thread.start();
        return this;
    }

    /** Whether everything that was in the topic when the follower started has been applied. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Waits until the record at {@code offset} of {@code partition} has been applied; false if that took too long. */
    public boolean awaitPosition(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (advanced) {
            while (positions.getOrDefault(partition, 0L) <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(advanced, left);
            }
        }
        return true;
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions, Duration.ofMinutes(5));
            log.info("reading {} partitions of {} up to {}", partitions.size(), topic,
                    endAtStart.values().stream().mapToLong(Long::longValue).sum());
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    handler.apply(record);
                }
                for (TopicPartition partition : partitions) {
                    positions.put(partition.partition(), consumer.position(partition));
                }
                synchronized (advanced) {
                    advanced.notifyAll();
                }
                if (!caughtUp && endAtStart.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    log.info("caught up with {}", topic);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("follower of {} woken up unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            log.error("follower of {} stopped: {}", topic, e.toString(), e);
            caughtUp = false;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running.get()) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (!partitions.isEmpty()) {
                    return partitions;
                }
                log.warn("waiting for topic {} to exist", topic);
            } catch (TimeoutException e) {
                log.warn("waiting for Kafka to describe {}: {}", topic, e.getMessage());
            }
            try {
                Thread.sleep(1_000); // back off before asking the cluster again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new WakeupException();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
