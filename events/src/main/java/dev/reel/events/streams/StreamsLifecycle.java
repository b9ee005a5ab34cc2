package dev.reel.events.streams;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every Reel Streams app watches its {@link KafkaStreams}: before {@code start()}. */
public final class StreamsLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamsLifecycle.class);

    private StreamsLifecycle() {
    }

    /**
     * Logs every state change, replaces a stream thread that dies, and returns the readiness check: ready once
     * {@code RUNNING}, and through later rebalances (the query API answers then too, per key or with 503), so a front
     * door does not take every instance out at once during one.
     */
    public static BooleanSupplier watch(KafkaStreams streams) {
        AtomicBoolean ranOnce = new AtomicBoolean();
        streams.setStateListener((now, before) -> {
            log.info("kafka streams {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                ranOnce.set(true);
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread died; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        return () -> streams.state() == KafkaStreams.State.RUNNING
                || ranOnce.get() && streams.state() == KafkaStreams.State.REBALANCING;
    }
}
