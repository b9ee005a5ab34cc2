package dev.reel.events.dlq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.topics.Topics;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLetterPublisherTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:05:00Z");
    private static final TopicPartition UPLOADS_3 = new TopicPartition(Topics.UPLOADS, 3);
    private static final byte[] KEY = "v_1".getBytes(UTF_8);
    private static final byte[] VALUE = "{not json".getBytes(UTF_8);

    private final MockProducer<byte[], byte[]> producer = producer(true);
    private final DeadLetterPublisher publisher = new DeadLetterPublisher(producer, "transcoder/host-2",
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void sendsTheConsumedRecordWithErrorHeaders() throws Exception {
        Headers headers = new RecordHeaders().add("traceparent", "00-abc-01".getBytes(UTF_8));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(Topics.UPLOADS, 3, 1234L, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, KEY.length, VALUE.length, KEY, VALUE, headers, Optional.empty());

        publisher.send(record, new IllegalStateException("ffprobe said no")).get();

        ProducerRecord<byte[], byte[]> sent = onlySent();
        assertThat(sent.topic()).isEqualTo(Topics.DLQ);
        assertThat(sent.key()).isEqualTo(KEY);
        assertThat(sent.value()).isEqualTo(VALUE);
        assertThat(header(sent, "traceparent")).isEqualTo("00-abc-01");
        assertThat(errorHeaders(sent)).isEqualTo(Map.of(
                DeadLetterHeaders.ORIGINAL_TOPIC, Topics.UPLOADS,
                DeadLetterHeaders.ORIGINAL_PARTITION, "3",
                DeadLetterHeaders.ORIGINAL_OFFSET, "1234",
                DeadLetterHeaders.ORIGINAL_TIMESTAMP, "1700000000000",
                DeadLetterHeaders.ERROR_CLASS, IllegalStateException.class.getName(),
                DeadLetterHeaders.ERROR_MESSAGE, "ffprobe said no",
                DeadLetterHeaders.SOURCE, "transcoder/host-2",
                DeadLetterHeaders.TIME, "2026-11-24T10:05:00Z"));
        assertThat(headers.toArray()).as("the consumed record's headers are not touched").hasSize(1);
    }

    @Test
    void sendsARecordThatCouldNotBeDeserialized() {
        publisher.send(deserializationFailure());

        ProducerRecord<byte[], byte[]> sent = onlySent();
        assertThat(sent.key()).isEqualTo(KEY);
        assertThat(sent.value()).isEqualTo(VALUE);
        assertThat(header(sent, "traceparent")).isEqualTo("00-abc-01");
        assertThat(header(sent, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("41");
        assertThat(header(sent, DeadLetterHeaders.ORIGINAL_TIMESTAMP)).isEqualTo("1700000000000");
        assertThat(header(sent, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(MalformedEventException.class.getName());
        assertThat(header(sent, DeadLetterHeaders.ERROR_MESSAGE)).contains("Unexpected character");
    }

    @Test
    void redeadletteringReplacesTheErrorHeaders() {
        Headers alreadyDeadLettered = new RecordHeaders()
                .add(DeadLetterHeaders.ERROR_MESSAGE, "first failure".getBytes(UTF_8));

        publisher.send(Topics.DLQ, 0, 7, 1L, null, VALUE, alreadyDeadLettered, new RuntimeException("second failure"));

        assertThat(onlySent().headers().headers(DeadLetterHeaders.ERROR_MESSAGE))
                .extracting(h -> new String(h.value(), UTF_8)).containsExactly("second failure");
    }

    @Test
    void truncatesHugeErrorMessagesAndAcceptsNone() {
        publisher.send(Topics.UPLOADS, 0, 1, 1L, null, VALUE, null, new RuntimeException("x".repeat(100_000)));
        publisher.send(Topics.UPLOADS, 0, 2, 1L, null, VALUE, null, new NullPointerException());

        assertThat(header(producer.history().get(0), DeadLetterHeaders.ERROR_MESSAGE)).hasSizeLessThan(5_000);
        assertThat(header(producer.history().get(1), DeadLetterHeaders.ERROR_MESSAGE)).isEmpty();
    }

    @Test
    void skipToDeadLetterSeeksPastTheRecordOnceTheCopyIsAcknowledged() {
        MockConsumer<byte[], byte[]> consumer = consumerAt(41);

        publisher.skipToDeadLetter(consumer, deserializationFailure(), Duration.ofSeconds(5));

        assertThat(producer.history()).hasSize(1);
        assertThat(consumer.position(UPLOADS_3)).isEqualTo(42);
    }

    @Test
    void skipToDeadLetterDoesNotMoveWhenTheCopyIsNotAcknowledged() {
        MockConsumer<byte[], byte[]> consumer = consumerAt(41);
        DeadLetterPublisher unacknowledged = new DeadLetterPublisher(producer(false), "transcoder/host-2");

        assertThatThrownBy(() -> unacknowledged.skipToDeadLetter(consumer, deserializationFailure(), Duration.ofMillis(50)))
                .isInstanceOf(KafkaException.class)
                .hasMessageContaining("Could not dead-letter reel.uploads-3 offset 41");
        assertThat(consumer.position(UPLOADS_3)).isEqualTo(41);
    }

    private static RecordDeserializationException deserializationFailure() {
        MalformedEventException cause = new MalformedEventException(Topics.UPLOADS, VALUE,
                "Unexpected character ('n' (code 110))", null);
        Headers headers = new RecordHeaders().add("traceparent", "00-abc-01".getBytes(UTF_8));
        return new RecordDeserializationException(RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                UPLOADS_3, 41, 1_700_000_000_000L, TimestampType.CREATE_TIME, ByteBuffer.wrap(KEY), ByteBuffer.wrap(VALUE),
                headers, "Error deserializing VALUE for partition reel.uploads-3 at offset 41", cause);
    }

    private static MockConsumer<byte[], byte[]> consumerAt(long offset) {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(UPLOADS_3));
        consumer.updateBeginningOffsets(Map.of(UPLOADS_3, 0L));
        consumer.seek(UPLOADS_3, offset);
        return consumer;
    }

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private ProducerRecord<byte[], byte[]> onlySent() {
        assertThat(producer.history()).hasSize(1);
        return producer.history().getFirst();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), UTF_8);
    }

    private static Map<String, String> errorHeaders(ProducerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header header : record.headers()) {
            if (header.key().startsWith("reel.dlq.")) {
                headers.put(header.key(), new String(header.value(), UTF_8));
            }
        }
        return headers;
    }
}
