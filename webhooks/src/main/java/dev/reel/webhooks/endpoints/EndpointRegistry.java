package dev.reel.webhooks.endpoints;

import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.topics.Topics;
import dev.reel.events.webhooks.EndpointEvent;
import dev.reel.service.kafka.TopicFollower;
import dev.reel.webhooks.kafka.WebhookRecords;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every endpoint, folded from {@code reel.webhooks} by this instance (every instance holds them all: they are few).
 * Lookups never wait on Kafka. A record that cannot be read is skipped and counted: the topic is only written by this
 * service.
 */
public final class EndpointRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EndpointRegistry.class);
    private static final Duration READ_YOUR_WRITE = Duration.ofSeconds(10);

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicLong skipped = new AtomicLong();
    private final TopicFollower follower;

    public EndpointRegistry(Map<String, Object> consumerConfig) {
        this.follower = new TopicFollower(Topics.WEBHOOKS, consumerConfig, this::apply);
    }

    public EndpointRegistry start() {
        follower.start();
        return this;
    }

    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    public Optional<Endpoint> get(String id) {
        return Optional.ofNullable(endpoints.get(id));
    }

    /** An owner's endpoints, oldest first. */
    public List<Endpoint> ofOwner(String owner) {
        return endpoints.values().stream().filter(e -> e.owner().equals(owner))
                .sorted(Comparator.comparing(Endpoint::createdAt).thenComparing(Endpoint::id)).toList();
    }

    /** The enabled endpoints of {@code owner} that want events of {@code type}. */
    public List<Endpoint> subscribers(String owner, String type) {
        return endpoints.values().stream().filter(e -> e.enabled() && e.owner().equals(owner) && e.wants(type)).toList();
    }

    public int size() {
        return endpoints.size();
    }

    public long skippedRecords() {
        return skipped.get();
    }

    /** Waits until this registry has applied a record this process wrote. */
    public void awaitApplied(RecordMetadata written) throws InterruptedException {
        if (!follower.awaitPosition(written.partition(), written.offset(), READ_YOUR_WRITE)) {
            log.warn("{}-{}@{} not read back within {}", Topics.WEBHOOKS, written.partition(), written.offset(), READ_YOUR_WRITE);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            EndpointEvent event = WebhookRecords.ENDPOINTS.deserialize(record.topic(), record.value());
            if (event == null || !event.endpointId().equals(record.key())) {
                throw new IllegalArgumentException("the key must be the endpoint id");
            }
            endpoints.compute(event.endpointId(), (id, current) -> EndpointFold.apply(current, event));
        } catch (MalformedEventException | IllegalArgumentException e) {
            skipped.incrementAndGet();
            log.warn("skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
