package dev.reel.ingest.deletion;

import dev.reel.events.Envelope;
import dev.reel.events.VideoDeleted;
import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.topics.Topics;
import dev.reel.service.kafka.Rewind;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code video.deleted} from {@code reel.metadata} and removes the video's objects: {@code originals/<id>/} and
 * {@code media/<id>/}. Offsets are committed only after the objects are gone, and deleting what is already gone is a
 * no-op, so a redelivered event is harmless. A storage failure rewinds to the uncommitted events and retries them.
 */
public final class DeletionConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeletionConsumer.class);
    public static final String GROUP_ID = "reel-ingest-deletions";
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final Consumer<String, Envelope<?>> consumer;
    private final DeadLetterPublisher deadLetters;
    private final ObjectStorage storage;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    public DeletionConsumer(Consumer<String, Envelope<?>> consumer, DeadLetterPublisher deadLetters, ObjectStorage storage) {
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.storage = storage;
        this.thread = new Thread(this::run, "ingest-deletions");
    }

    public DeletionConsumer start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.METADATA));
            while (running) {
                ConsumerRecords<String, Envelope<?>> records;
                try {
                    records = consumer.poll(Duration.ofSeconds(1));
                } catch (RecordDeserializationException e) {
                    deadLetters.skipToDeadLetter(consumer, e, Duration.ofSeconds(30));
                    continue;
                }
                try {
                    for (ConsumerRecord<String, Envelope<?>> record : records) {
                        if (record.value() != null && record.value().data() instanceof VideoDeleted deleted) {
                            removeObjects(deleted.videoId());
                        }
                    }
                    consumer.commitSync();
                } catch (StorageException e) {
                    log.warn("could not delete objects, retrying the uncommitted deletions: {}", e.getMessage());
                    Rewind.toCommitted(consumer);
                    Thread.sleep(RETRY_PAUSE.toMillis()); // back off from an object store that is down
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("deletion consumer stopped", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            stopped.countDown();
        }
    }

    private void removeObjects(String videoId) throws StorageException {
        int originals = storage.deletePrefix(ObjectKeys.originalsPrefix(videoId));
        int media = storage.deletePrefix(ObjectKeys.mediaPrefix(videoId));
        log.info("video {} deleted: removed {} original and {} media objects", videoId, originals, media);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
