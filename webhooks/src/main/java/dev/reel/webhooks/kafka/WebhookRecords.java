package dev.reel.webhooks.kafka;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reel.events.publish.EventWriteException;
import dev.reel.events.publish.EventWriter;
import dev.reel.events.serde.JsonRecordSerde;
import dev.reel.events.topics.Topics;
import dev.reel.events.webhooks.DeliveryEvent;
import dev.reel.events.webhooks.EndpointEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes the webhook topics' records through the process's {@link EventWriter} (its producer, acks=all and idempotent,
 * and its acknowledgement wait), each keyed by its endpoint id.
 */
public final class WebhookRecords {

    public static final JsonRecordSerde<EndpointEvent> ENDPOINTS = new JsonRecordSerde<>(new TypeReference<>() {
    });
    public static final JsonRecordSerde<DeliveryEvent> DELIVERIES = new JsonRecordSerde<>(new TypeReference<>() {
    });

    private final EventWriter writer;

    public WebhookRecords(EventWriter writer) {
        this.writer = writer;
    }

    /** Writes an endpoint event and waits for every in-sync replica to have it. */
    public RecordMetadata publish(EndpointEvent event) throws EventWriteException, InterruptedException {
        return writer.await(writer.producer().send(new ProducerRecord<>(Topics.WEBHOOKS, key(event.endpointId()),
                ENDPOINTS.serialize(Topics.WEBHOOKS, event))), event.getClass().getSimpleName() + " " + event.endpointId());
    }

    /** Sends a delivery event without waiting; the future completes once the broker has it. */
    public Future<RecordMetadata> send(DeliveryEvent event) {
        return writer.producer().send(new ProducerRecord<>(Topics.WEBHOOK_DELIVERIES, key(event.endpointId()),
                DELIVERIES.serialize(Topics.WEBHOOK_DELIVERIES, event)));
    }

    /** Waits for a send of {@link #send} within the writer's acknowledgement timeout. */
    public RecordMetadata await(Future<RecordMetadata> send, String what) throws EventWriteException, InterruptedException {
        return writer.await(send, what);
    }

    private static byte[] key(String endpointId) {
        return endpointId.getBytes(StandardCharsets.UTF_8);
    }
}
