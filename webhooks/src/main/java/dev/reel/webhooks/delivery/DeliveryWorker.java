package dev.reel.webhooks.delivery;

import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.topics.Topics;
import dev.reel.events.webhooks.DeliveryEvent;
import dev.reel.events.webhooks.EndpointEvent;
import dev.reel.webhooks.endpoints.Endpoint;
import dev.reel.webhooks.endpoints.EndpointRegistry;
import dev.reel.webhooks.kafka.ConsumerLoop;
import dev.reel.webhooks.kafka.WebhookRecords;
import dev.reel.webhooks.signing.Secrets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the attempts. Instances share the partitions of {@code reel.webhook-deliveries} in the consumer group
 * {@value #GROUP_ID}; all deliveries of an endpoint are on one partition, so one worker sees all of them and judges the
 * endpoint's health. A worker rebuilds a partition's pending deliveries by reading it from the beginning whenever it
 * is given the partition (no committed offsets: the topic is the state), and attempts nothing on it until it has read
 * up to where the partition ended when it was given; so a restart, a crash or a rebalance loses no delivery and no
 * retry (one that was under way when a worker died is made again: at least once).
 *
 * <p>One thread owns the consumer, applies records and hands due deliveries to attempts on virtual threads (at most
 * {@code concurrency} at once). An attempt's outcome is written to the topic, and the delivery counts as under way
 * until that record is read back, so it is never attempted twice at once.
 */
public final class DeliveryWorker extends ConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    public static final String GROUP_ID = "reel-webhooks-delivery";
    /** A delivery whose endpoint this instance does not know yet (just registered elsewhere) waits this long. */
    private static final Duration UNKNOWN_ENDPOINT_GRACE = Duration.ofSeconds(30);

    private final EndpointRegistry registry;
    private final WebhookRecords records;
    private final DeadLetterPublisher deadLetters;
    private final Sender sender;
    private final Secrets secrets;
    private final RetryPolicy retry;
    private final DisablePolicy disable;
    private final Clock clock;
    private final Semaphore slots;
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<Integer, DeliveryBook> books = new HashMap<>();
    private final Map<Integer, Long> restoringUntil = new HashMap<>();
    private final Map<String, Integer> underWay = new ConcurrentHashMap<>();
    private final Map<String, Boolean> disabling = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Timer latency;

    public DeliveryWorker(KafkaConsumer<String, byte[]> consumer, EndpointRegistry registry, WebhookRecords records,
            DeadLetterPublisher deadLetters, Sender sender, Secrets secrets, RetryPolicy retry, DisablePolicy disable,
            int concurrency, Clock clock, MeterRegistry meters) {
        super("webhook-deliveries", consumer, registry);
        this.registry = registry;
        this.records = records;
        this.deadLetters = deadLetters;
        this.sender = sender;
        this.secrets = secrets;
        this.retry = retry;
        this.disable = disable;
        this.slots = new Semaphore(concurrency);
        this.clock = clock;
        this.meters = meters;
        this.latency = Timer.builder("reel.webhooks.delivery.latency")
                .description("from the event's scheduling to the attempt that delivered it").publishPercentileHistogram()
                .register(meters);
    }

    @Override
    protected void subscribe() {
        consumer.subscribe(List.of(Topics.WEBHOOK_DELIVERIES), new Rebalance());
    }

    @Override
    protected void pollOnce() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            apply(record);
        }
        restoringUntil.entrySet().removeIf(e -> {
            boolean done = consumer.position(new TopicPartition(Topics.WEBHOOK_DELIVERIES, e.getKey())) >= e.getValue();
            if (done) {
                log.info("partition {} rebuilt: {} pending deliveries", e.getKey(), books.get(e.getKey()).pendingCount());
            }
            return done;
        });
        dispatchDue();
    }

    private boolean isLive(int partition) {
        return books.containsKey(partition) && !restoringUntil.containsKey(partition);
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        DeliveryBook book = books.get(record.partition());
        if (book == null) {
            return;
        }
        DeliveryEvent event;
        try {
            event = WebhookRecords.DELIVERIES.deserialize(record.topic(), record.value());
            if (event == null) {
                throw new MalformedEventException(record.topic(), new byte[0], "a tombstone", null);
            }
        } catch (MalformedEventException e) {
            if (isLive(record.partition())) {
                // dead-lettered once, when first read live; a rebuild later skips it quietly
                deadLetters.send(record.topic(), record.partition(), record.offset(), record.timestamp(), keyBytes(record),
                        record.value(), record.headers(), e);
            }
            log.warn("skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        book.apply(event);
        if (!(event instanceof DeliveryEvent.Scheduled)) {
            underWay.remove(event.deliveryId());
        }
        if (event instanceof DeliveryEvent.Attempted attempted && isLive(record.partition())) {
            checkHealth(book, attempted.endpointId());
        }
    }

    private void dispatchDue() {
        Instant now = clock.instant();
        for (Map.Entry<Integer, DeliveryBook> entry : books.entrySet()) {
            if (!isLive(entry.getKey())) {
                continue;
            }
            for (Delivery delivery : entry.getValue().due(now)) {
                if (underWay.containsKey(delivery.id())) {
                    continue;
                }
                Endpoint endpoint = registry.get(delivery.endpointId()).orElse(null);
                if (endpoint == null && delivery.createdAt().plus(UNKNOWN_ENDPOINT_GRACE).isAfter(now)) {
                    continue;
                }
                if (endpoint == null || !endpoint.enabled()) {
                    String reason = endpoint == null
                            ? "the endpoint was deleted"
                            : "the endpoint is disabled: " + endpoint.disabledReason();
                    underWay.put(delivery.id(), entry.getKey());
                    attempts.execute(() -> abandon(delivery, reason));
                    continue;
                }
                if (!slots.tryAcquire()) {
                    return;
                }
                underWay.put(delivery.id(), entry.getKey());
                attempts.execute(() -> attempt(delivery, endpoint));
            }
        }
    }

    private void attempt(Delivery delivery, Endpoint endpoint) {
        try {
            Instant now = clock.instant();
            AttemptResult result = sender.send(endpoint.url(), delivery.eventId(), delivery.payload(),
                    Sender.keys(secrets, endpoint.id(), endpoint.signingSecrets(now)), now);
            DeliveryEvent.Attempted attempted = retry.attempted(delivery, result, clock.instant());
            records.await(records.send(attempted), "attempt of " + delivery.id());
            Counter.builder("reel.webhooks.attempts")
                    .tag("outcome", attempted.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    .register(meters).increment();
            if (attempted.outcome() == DeliveryEvent.Outcome.DELIVERED) {
                latency.record(Duration.between(delivery.createdAt(), attempted.at()).toNanos(), TimeUnit.NANOSECONDS);
            }
            log.info("{} {} to endpoint {} attempt {}: {}{}", delivery.eventType(), delivery.eventId(), endpoint.id(),
                    attempted.attempt(), attempted.outcome(), result.error() == null ? "" : " (" + result.error() + ")");
        } catch (InterruptedException e) {
            underWay.remove(delivery.id());
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // not recorded: the delivery is still due, and the next loop tries again
            underWay.remove(delivery.id());
            log.warn("attempt of delivery {} not recorded: {}", delivery.id(), e.toString());
        } finally {
            slots.release();
        }
    }

    private void abandon(Delivery delivery, String reason) {
        try {
            records.await(records.send(new DeliveryEvent.Abandoned(delivery.id(), delivery.endpointId(), reason,
                    clock.instant())), "abandoning " + delivery.id());
            log.info("delivery {} of {} abandoned: {}", delivery.id(), delivery.eventId(), reason);
        } catch (InterruptedException e) {
            underWay.remove(delivery.id());
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            underWay.remove(delivery.id());
            log.warn("could not abandon delivery {}: {}", delivery.id(), e.toString());
        }
    }

    private void checkHealth(DeliveryBook book, String endpointId) {
        Endpoint endpoint = registry.get(endpointId).orElse(null);
        if (endpoint == null || !endpoint.enabled()) {
            return;
        }
        disable.reason(book.health(endpointId), clock.instant()).ifPresent(reason -> {
            if (disabling.putIfAbsent(endpointId, Boolean.TRUE) == null) {
                attempts.execute(() -> disableEndpoint(endpointId, reason));
            }
        });
    }

    private void disableEndpoint(String endpointId, String reason) {
        try {
            registry.awaitApplied(records.publish(new EndpointEvent.Disabled(endpointId, reason, clock.instant())));
            log.warn("endpoint {} disabled: {}", endpointId, reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("could not disable endpoint {}: {}", endpointId, e.toString());
        } finally {
            disabling.remove(endpointId);
        }
    }

    private static byte[] keyBytes(ConsumerRecord<String, byte[]> record) {
        return record.key() == null ? null : record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Rebuilds a partition from its beginning when it is given; forgets it when it is taken. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                books.put(partition.partition(), new DeliveryBook(0));
                restoringUntil.put(partition.partition(), ends.get(partition));
            }
            log.info("given partitions {} of {}; rebuilding them", partitions.stream().map(TopicPartition::partition).toList(),
                    Topics.WEBHOOK_DELIVERIES);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                books.remove(partition.partition());
                restoringUntil.remove(partition.partition());
                underWay.values().removeIf(p -> p == partition.partition());
            }
        }
    }

    /** Stops polling; attempts under way may finish (their outcome is written or the delivery stays due). */
    @Override
    public void close() {
        super.close();
        attempts.shutdown();
        try {
            attempts.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
