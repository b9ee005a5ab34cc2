package dev.reel.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import dev.reel.events.serde.JsonRecordSerde;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.topics.Topics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The webhook topics' records: read back as written, valid against their published schemas, refused when broken. */
class WebhookRecordsTest {

    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private static final String ID = "wh_abcdefgh";

    private final JsonRecordSerde<EndpointEvent> endpoints = new JsonRecordSerde<>(new TypeReference<>() {
    });
    private final JsonRecordSerde<DeliveryEvent> deliveries = new JsonRecordSerde<>(new TypeReference<>() {
    });
    private final ObjectMapper json = new ObjectMapper();

    private final List<EndpointEvent> endpointEvents = List.of(
            new EndpointEvent.Registered(ID, "alice", "https://example.com/h", List.of("*"), "note", "v1.abc", T),
            new EndpointEvent.Updated(ID, null, List.of("reel.video.uploaded"), null, false, T),
            new EndpointEvent.SecretRotated(ID, "v1.def", T.plusSeconds(60), T),
            new EndpointEvent.Disabled(ID, "kept failing", T),
            new EndpointEvent.Deleted(ID, T));
    private final List<DeliveryEvent> deliveryEvents = List.of(
            new DeliveryEvent.Scheduled("d-1", ID, "e-1", "reel.video.uploaded", "video-1", "{\"id\":\"e-1\"}", T),
            new DeliveryEvent.Attempted("d-1", ID, 1, 0, "connection refused", 3, DeliveryEvent.Outcome.RETRYING,
                    T.plusSeconds(5), T),
            new DeliveryEvent.Attempted("d-1", ID, 2, 204, null, 3, DeliveryEvent.Outcome.DELIVERED, null, T),
            new DeliveryEvent.Abandoned("d-2", ID, "the endpoint was deleted", T));

    @Test
    void everyKindReadsBackAndIsValid() throws Exception {
        JsonSchema endpointSchema = schema("reel.webhooks.schema.json");
        for (EndpointEvent event : endpointEvents) {
            byte[] bytes = endpoints.serialize(Topics.WEBHOOKS, event);
            assertThat(endpoints.deserialize(Topics.WEBHOOKS, bytes)).isEqualTo(event);
            assertThat(endpointSchema.validate(json.readTree(bytes))).as(event.toString()).isEmpty();
        }
        JsonSchema deliverySchema = schema("reel.webhook-deliveries.schema.json");
        for (DeliveryEvent event : deliveryEvents) {
            byte[] bytes = deliveries.serialize(Topics.WEBHOOK_DELIVERIES, event);
            assertThat(deliveries.deserialize(Topics.WEBHOOK_DELIVERIES, bytes)).isEqualTo(event);
            assertThat(deliverySchema.validate(json.readTree(bytes))).as(event.toString()).isEmpty();
        }
    }

    @Test
    void brokenRecordsAreRefusedByTheSchemaAndTheReader() throws Exception {
        JsonSchema schema = schema("reel.webhooks.schema.json");
        ObjectNode registered = (ObjectNode) json.readTree(endpoints.serialize(Topics.WEBHOOKS, endpointEvents.getFirst()));
        for (String field : List.of("owner", "url", "sealedSecret", "endpointId", "kind")) {
            ObjectNode without = registered.deepCopy();
            without.remove(field);
            assertThat(schema.validate(without)).as("without " + field).isNotEmpty();
            assertThatThrownBy(() -> endpoints.deserialize(Topics.WEBHOOKS, json.writeValueAsBytes(without)))
                    .as("reading without " + field).isInstanceOf(MalformedEventException.class);
        }
        JsonSchema deliverySchema = schema("reel.webhook-deliveries.schema.json");
        JsonNode retrying = json.readTree(deliveries.serialize(Topics.WEBHOOK_DELIVERIES, deliveryEvents.get(1)));
        ObjectNode noNext = ((ObjectNode) retrying).deepCopy();
        noNext.remove("nextAttemptAt");
        assertThat(deliverySchema.validate(noNext)).isNotEmpty();
        assertThatThrownBy(() -> deliveries.deserialize(Topics.WEBHOOK_DELIVERIES, json.writeValueAsBytes(noNext)))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> deliveries.deserialize(Topics.WEBHOOK_DELIVERIES, "{\"kind\":\"nope\"}".getBytes()))
                .isInstanceOf(MalformedEventException.class);
    }

    private static JsonSchema schema(String file) {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                SchemaLocation.of("classpath:dev/reel/events/schemas/" + file),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        schema.initializeValidators();
        return schema;
    }
}
