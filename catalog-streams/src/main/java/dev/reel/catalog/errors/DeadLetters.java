package dev.reel.catalog.errors;

import dev.reel.events.dlq.DeadLetterHeaders;
import dev.reel.events.topics.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@code reel.dlq} copy of a record the topology could not deserialize or process, with the same
 * {@link DeadLetterHeaders} as {@link dev.reel.events.dlq.DeadLetterPublisher} writes. Kafka Streams sends the
 * copy itself (within the task's transaction under exactly-once), so this only builds it.
 */
public final class DeadLetters {

    /** Streams config key naming the process in {@link DeadLetterHeaders#SOURCE}, e.g. {@code catalog-streams/host-1}. */
    public static final String SOURCE_CONFIG = "reel.dead.letter.source";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    // The copy must fit the topic's max.message.bytes next to the original value.
    private static final int MAX_ERROR_MESSAGE_CHARS = 4_000;

    private final String source;
    private final Clock clock;

    DeadLetters(String source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = clock;
    }

    static DeadLetters configured(Map<String, ?> configs) {
        Object source = configs.get(SOURCE_CONFIG);
        return new DeadLetters(source == null ? "catalog-streams" : source.toString(), Clock.systemUTC());
    }

    ProducerRecord<byte[], byte[]> copyOf(ErrorHandlerContext context, byte[] key, byte[] value, Exception error) {
        log.warn("dead-lettering {}-{} offset {}: {}", context.topic(), context.partition(), context.offset(), error.toString());
        Headers headers = new RecordHeaders(context.headers() == null ? new RecordHeaders() : context.headers());
        put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, context.topic());
        put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(context.partition()));
        put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(context.offset()));
        put(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(context.timestamp()));
        put(headers, DeadLetterHeaders.ERROR_CLASS, error.getClass().getName());
        String message = Objects.toString(error.getMessage(), "");
        put(headers, DeadLetterHeaders.ERROR_MESSAGE, message.length() <= MAX_ERROR_MESSAGE_CHARS
                ? message : message.substring(0, MAX_ERROR_MESSAGE_CHARS) + "...");
        put(headers, DeadLetterHeaders.SOURCE, source);
        put(headers, DeadLetterHeaders.TIME, clock.instant().toString());
        return new ProducerRecord<>(Topics.DLQ, null, key, value, headers);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
