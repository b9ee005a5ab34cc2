package dev.reel.service.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes {@link ApiKeyRecord}s to the keys topic, keyed by the key's hash, and waits until every in-sync replica has
 * them: what {@code reel keys add|revoke} and {@code reel up} (the local key) do, and tests that need owners.
 */
public final class ApiKeyWriter {

    private ApiKeyWriter() {
    }

    /**
     * @param producerConfig a producer configuration with {@code acks=all} ({@code KafkaSettings.producer})
     * @throws IllegalStateException a record was not acknowledged within {@code timeout}
     */
    public static void write(Map<String, Object> producerConfig, String topic, List<ApiKeyRecord> records, Duration timeout) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (ApiKeyRecord record : records) {
                acks.add(producer.send(new ProducerRecord<>(topic, record.keyHash().getBytes(StandardCharsets.UTF_8),
                        record.toJson())));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the key records were not written to " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing key records", e);
        }
    }
}
