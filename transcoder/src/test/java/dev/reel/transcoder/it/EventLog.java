package dev.reel.transcoder.it;

import dev.reel.cluster.Await;
import dev.reel.events.Envelope;
import dev.reel.events.serde.EventDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Everything written to one topic since it was opened, read by a background thread, for tests to wait on. */
final class EventLog implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    EventLog(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now, before the test writes anything
        reader = Thread.ofPlatform().name("event-log-" + topic).daemon().start(() -> {
            while (!closed) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.close();
        });
    }

    List<ConsumerRecord<byte[], byte[]>> records() {
        return List.copyOf(records);
    }

    /** The events of one video, in the order they were written (one video's events share a partition). */
    List<Envelope<?>> events(String videoId) {
        EventDeserializer deserializer = new EventDeserializer();
        List<Envelope<?>> events = new java.util.ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Envelope<?> event = deserializer.deserialize(record.topic(), record.value());
            if (event.subject().equals(videoId)) {
                events.add(event);
            }
        }
        return events;
    }

    /** Waits until the events of a video satisfy {@code condition}; returns them. */
    List<Envelope<?>> await(String videoId, String what, Duration timeout, Predicate<List<Envelope<?>>> condition) {
        Await.until(what + " for " + videoId, timeout, () -> condition.test(events(videoId)), List.of());
        return events(videoId);
    }

    static boolean has(List<Envelope<?>> events, Class<?> type) {
        return events.stream().anyMatch(e -> type.isInstance(e.data()));
    }

    @Override
    public void close() {
        closed = true;
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
