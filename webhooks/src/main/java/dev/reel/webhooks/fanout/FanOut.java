package dev.reel.webhooks.fanout;

import dev.reel.events.Envelope;
import dev.reel.events.VideoDeleted;
import dev.reel.events.VideoUploaded;
import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.topics.Topics;
import dev.reel.events.webhooks.DeliveryEvent;
import dev.reel.service.kafka.Rewind;
import dev.reel.service.storage.StorageException;
import dev.reel.webhooks.endpoints.Endpoint;
import dev.reel.webhooks.endpoints.EndpointRegistry;
import dev.reel.webhooks.kafka.ConsumerLoop;
import dev.reel.webhooks.kafka.WebhookRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each event of the video topics ({@code reel.uploads}, {@code reel.transcode}, {@code reel.metadata}) into one
 * scheduled delivery per enabled endpoint of the video's owner that wants its type, in the consumer group
 * {@value #GROUP_ID}. Offsets are committed only once every scheduled delivery (and dead letter) is acknowledged; an
 * event done twice after a crash schedules the same delivery ids, which the delivery fold ignores. A record that is not
 * a Reel event goes to {@code reel.dlq}; a storage outage (the owner lookup) rewinds to the uncommitted records and
 * tries again.
 */
public final class FanOut extends ConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(FanOut.class);
    public static final String GROUP_ID = "reel-webhooks-fanout";
    public static final List<String> TOPICS = List.of(Topics.UPLOADS, Topics.TRANSCODE, Topics.METADATA);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final EndpointRegistry registry;
    private final VideoOwners owners;
    private final WebhookRecords records;
    private final DeadLetterPublisher deadLetters;
    private final Clock clock;
    private final Counter scheduled;
    private final EventDeserializer events = new EventDeserializer();

    public FanOut(KafkaConsumer<String, byte[]> consumer, EndpointRegistry registry, VideoOwners owners,
            WebhookRecords records, DeadLetterPublisher deadLetters, Clock clock, MeterRegistry meters) {
        super("webhook-fan-out", consumer, registry);
        this.registry = registry;
        this.owners = owners;
        this.records = records;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.scheduled = Counter.builder("reel.webhooks.deliveries.scheduled").register(meters);
    }

    /** The delivery of one event to one endpoint: the same two ids always name the same delivery. */
    public static String deliveryId(String eventId, String endpointId) {
        return UUID.nameUUIDFromBytes((eventId + "/" + endpointId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    protected void subscribe() {
        consumer.subscribe(TOPICS);
    }

    @Override
    protected void pollOnce() throws InterruptedException {
        ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
        try {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : batch) {
                sends.addAll(fanOut(record));
            }
            for (Future<RecordMetadata> send : sends) {
                records.await(send, "a scheduled delivery");
            }
            consumer.commitSync();
        } catch (StorageException | dev.reel.events.publish.EventWriteException e) {
            log.warn("fan-out paused, retrying the uncommitted events: {}", e.getMessage());
            Rewind.toCommitted(consumer);
            Thread.sleep(RETRY_PAUSE.toMillis()); // back off from storage or Kafka being away
        }
    }

    private List<Future<RecordMetadata>> fanOut(ConsumerRecord<String, byte[]> record) throws StorageException {
        Envelope<?> event;
        try {
            event = events.deserialize(record.topic(), record.value());
            if (event == null) {
                throw new MalformedEventException(record.topic(), new byte[0], "a tombstone", null);
            }
        } catch (MalformedEventException e) {
            log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return List.of(deadLetters.send(record.topic(), record.partition(), record.offset(), record.timestamp(),
                    record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value(),
                    record.headers(), e));
        }
        switch (event.data()) {
            case VideoUploaded uploaded -> owners.learn(uploaded.videoId(), uploaded.owner());
            case VideoDeleted deleted -> owners.learn(deleted.videoId(), deleted.requestedBy()); // only the owner may delete
            default -> {
            }
        }
        Optional<String> owner = owners.ownerOf(event.subject());
        if (owner.isEmpty()) {
            log.info("{} {} of video {}: no owner (video deleted), not delivered", event.type(), event.id(), event.subject());
            return List.of();
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        String payload = new String(record.value(), StandardCharsets.UTF_8);
        for (Endpoint endpoint : registry.subscribers(owner.get(), event.type())) {
            sends.add(records.send(new DeliveryEvent.Scheduled(deliveryId(event.id(), endpoint.id()), endpoint.id(), event.id(),
                    event.type(), event.subject(), payload, clock.instant())));
            scheduled.increment();
        }
        return sends;
    }

}
