package dev.reel.edge.playback;

import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.publish.EventWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Playback events on their way to {@code reel.playback}: {@link #publish} never blocks (it offers to a bounded queue,
 * and one background thread hands events to the producer); a caller that must not lose the event may wait, boundedly,
 * for the acknowledgement it returns. When Kafka is slow or unreachable the
 * queue fills, and further events are dropped and counted ({@code reel_edge_playback_events_dropped_total}); the
 * producer gives up on what it holds after a one-minute delivery timeout, also counted. Analytics lose some events;
 * viewers lose nothing.
 */
public final class PlaybackEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PlaybackEvents.class);

    private final String source;
    private final BlockingQueue<Pending> queue;
    private final EventWriter writer;
    private final Thread sender;
    private final Counter sent;
    private final Counter droppedQueueFull;
    private final Counter droppedSendFailed;
    private volatile boolean running = true;
    /** Whether Kafka refused or timed out the last event handed to it (set on the producer's callback). */
    private volatile boolean lastSendFailed;

    /**
     * @param producerConfig the service-kit producer settings (acks=all, idempotence)
     * @param source         the event source, {@code edge/<instance>}
     * @param capacity       events held while Kafka is slow
     */
    public PlaybackEvents(Map<String, Object> producerConfig, String source, int capacity, MeterRegistry registry) {
        this.source = source;
        this.queue = new ArrayBlockingQueue<>(capacity);
        Map<String, Object> config = new HashMap<>(producerConfig);
        // Bounded waits everywhere: a cluster that is away from the start (no metadata) turns into counted drops
        // within max.block; an event already handed over is retried for a minute, which outlasts a broker's failover
        // (its session timeout, then a leader election) so a view is not lost to one.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L << 20);
        this.writer = new EventWriter(new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()), source,
                Duration.ofSeconds(10));
        this.sent = Counter.builder("reel.edge.playback.events.sent").register(registry);
        this.droppedQueueFull = Counter.builder("reel.edge.playback.events.dropped").tag("reason", "buffer-full")
                .register(registry);
        this.droppedSendFailed = Counter.builder("reel.edge.playback.events.dropped").tag("reason", "send-failed")
                .register(registry);
        Gauge.builder("reel.edge.playback.events.buffered", queue, BlockingQueue::size).register(registry);
        this.sender = new Thread(this::drain, "playback-events");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * Queues an event and returns at once, dropping it (and counting) when the buffer is full.
     *
     * @return completes when Kafka has acknowledged the event, exceptionally when it was dropped; a caller that must
     *         not lose the event (a view) waits for it, boundedly, before answering
     */
    public CompletableFuture<Void> publish(EventData data) {
        Pending pending = new Pending(Envelope.of(source, data), new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            droppedQueueFull.increment();
            pending.acked().completeExceptionally(new IllegalStateException("playback event buffer full"));
        }
        return pending.acked();
    }

    private record Pending(Envelope<?> event, CompletableFuture<Void> acked) {
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            if (!running && lastSendFailed) {
                dropQueued(); // closing while Kafka is away: each event left would wait out max.block in turn
                return;
            }
            Pending pending;
            try {
                pending = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (pending == null) {
                continue;
            }
            Envelope<?> event = pending.event();
            try {
                writer.send(event, (metadata, error) -> {
                    lastSendFailed = error != null;
                    if (error == null) {
                        sent.increment();
                        pending.acked().complete(null);
                    } else {
                        droppedSendFailed.increment();
                        pending.acked().completeExceptionally(error);
                    }
                });
            } catch (RuntimeException e) { // refused before Kafka was asked (the producer closed, a serializer failed)
                lastSendFailed = true;
                droppedSendFailed.increment();
                pending.acked().completeExceptionally(e);
                log.debug("playback event dropped: {}", e.toString());
            }
        }
    }

    private void dropQueued() {
        IllegalStateException dropped = new IllegalStateException("playback event dropped at shutdown: Kafka unreachable");
        int count = 0;
        for (Pending pending; (pending = queue.poll()) != null; count++) {
            droppedSendFailed.increment();
            pending.acked().completeExceptionally(dropped);
        }
        log.warn("{} buffered playback events dropped at shutdown: Kafka unreachable", count);
    }

    /**
     * Sends what is buffered (bounded by the producer's timeouts), then closes the producer. When Kafka is unreachable,
     * what is still buffered after the event being sent has failed is dropped and counted, rather than each event
     * waiting out the producer's {@code max.block.ms} in turn.
     */
    @Override
    public void close() {
        running = false;
        try {
            sender.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Not writer.close(): its flush could wait out the one-minute delivery timeout while Kafka is away.
        writer.producer().close(Duration.ofSeconds(10));
    }
}
