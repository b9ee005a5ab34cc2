package dev.reel.webhooks.delivery;

import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.topics.Topics;
import dev.reel.events.webhooks.DeliveryEvent;
import dev.reel.service.kafka.TopicFollower;
import dev.reel.webhooks.kafka.WebhookRecords;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What owners see of deliveries: every partition of {@code reel.webhook-deliveries} folded on every instance, so any
 * instance answers for any endpoint, keeping the last {@code history} finished deliveries of each endpoint with every
 * attempt, and each endpoint's health. Unreadable records are skipped here (the worker dead-letters them).
 */
public final class DeliveryLog implements AutoCloseable {

    private final DeliveryBook book;
    private final TopicFollower follower;

    public DeliveryLog(Map<String, Object> consumerConfig, int history) {
        this.book = new DeliveryBook(history);
        this.follower = new TopicFollower(Topics.WEBHOOK_DELIVERIES, consumerConfig, this::apply);
    }

    public DeliveryLog start() {
        follower.start();
        return this;
    }

    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    public synchronized List<Delivery> ofEndpoint(String endpointId, int limit) {
        return book.ofEndpoint(endpointId, limit);
    }

    public synchronized EndpointHealth health(String endpointId) {
        return book.health(endpointId);
    }

    private synchronized void apply(ConsumerRecord<String, byte[]> record) {
        try {
            DeliveryEvent event = WebhookRecords.DELIVERIES.deserialize(record.topic(), record.value());
            if (event != null) {
                book.apply(event);
            }
        } catch (MalformedEventException e) {
            // the worker dead-letters it
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
