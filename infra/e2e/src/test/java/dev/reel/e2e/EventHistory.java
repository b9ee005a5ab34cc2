package dev.reel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The topics read back from the beginning, as an analytics consumer would (read_committed, no group), up to the
 * end offsets of the moment it is taken; each record's JSON checked against the published schemas.
 */
final class EventHistory {

    private static final String SCHEMAS = "classpath:dev/reel/events/schemas/";

    /** One record as read: where it was, and its JSON ({@code null} for a tombstone). */
    record Event(String topic, int partition, long offset, String key, JsonNode json) {
        String type() {
            return json == null ? null : json.path("type").asText(null);
        }

        JsonNode data() {
            return json.get("data");
        }
    }

    private final List<Event> events;

    private EventHistory(List<Event> events) {
        this.events = List.copyOf(events);
    }

    static EventHistory read(String bootstrapServers, List<String> topics) throws IOException {
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!end.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not read the topics to their end offsets: " + end);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode json = record.value() == null ? null : FrontDoor.JSON.readTree(record.value());
                    events.add(new Event(record.topic(), record.partition(), record.offset(), record.key(), json));
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        return new EventHistory(events);
    }

    /** The video's records on one topic, in the order they were written (one key, one partition). */
    List<Event> of(String topic, String videoId) {
        return events.stream().filter(e -> e.topic().equals(topic) && videoId.equals(e.key())).toList();
    }

    List<Event> all() {
        return events;
    }

    /** Schema violations of one record: the envelope and its data, or a catalog record; empty when valid. */
    static final class Schemas {
        private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        private final Map<String, JsonSchema> loaded = new HashMap<>();

        Set<ValidationMessage> violations(Event event) {
            if (event.json() == null) {
                return Set.of(); // a tombstone
            }
            if (event.topic().equals("reel.catalog")) {
                return schema("video-record.schema.json").validate(event.json());
            }
            if (event.topic().startsWith("reel.webhook")) { // reel.webhooks, reel.webhook-deliveries: not envelopes
                return schema(event.topic() + ".schema.json").validate(event.json());
            }
            Set<ValidationMessage> problems = new LinkedHashSet<>(schema("envelope.schema.json").validate(event.json()));
            problems.addAll(schema(event.type() + ".schema.json").validate(event.data()));
            return problems;
        }

        private JsonSchema schema(String file) {
            return loaded.computeIfAbsent(file, f -> {
                JsonSchema schema = factory.getSchema(SchemaLocation.of(SCHEMAS + f), config);
                schema.initializeValidators();
                return schema;
            });
        }
    }
}
