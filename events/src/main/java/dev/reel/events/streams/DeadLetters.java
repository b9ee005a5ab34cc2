package dev.reel.events.streams;

import dev.reel.events.dlq.DeadLetterHeaders;
import dev.reel.events.dlq.DeadLetterPublisher;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@code reel.dlq} copy of a record a Kafka Streams topology could not deserialize or process, with
 * {@link DeadLetterPublisher#record}. Kafka Streams sends the
 * copy itself (within the task's transaction under exactly-once), so this only builds it.
 */
public final class DeadLetters {

    /**
     * Streams config key naming the process in {@link DeadLetterHeaders#SOURCE}, e.g. {@code catalog-streams/host-1}; set it
     * beside {@link DeadLetterDeserializationHandler} and {@link DeadLetterProcessingHandler} in the Streams config.
     */
    public static final String SOURCE_CONFIG = "reel.dead.letter.source";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final String source;
    private final Clock clock;

    DeadLetters(String source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = clock;
    }

    static DeadLetters configured(Map<String, ?> configs) {
        Object source = configs.get(SOURCE_CONFIG);
        return new DeadLetters(source == null ? "kafka-streams" : source.toString(), Clock.systemUTC());
    }

    ProducerRecord<byte[], byte[]> copyOf(ErrorHandlerContext context, byte[] key, byte[] value, Exception error) {
        log.warn("dead-lettering {}-{} offset {}: {}", context.topic(), context.partition(), context.offset(), error.toString());
        return DeadLetterPublisher.record(context.topic(), context.partition(), context.offset(), context.timestamp(),
                key, value, context.headers(), error, source, clock);
    }
}
