package dev.reel.events.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.events.Envelope;
import dev.reel.events.Samples;
import dev.reel.events.TranscodeProgress;
import dev.reel.events.VideoDeleted;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.events.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The writer's contract with a stand-in producer; the services' integration tests write through a real broker. */
class EventWriterTest {

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final EventWriter writer = new EventWriter(producer, "test/t-1", Duration.ofSeconds(5));

    @Test
    void anEventGoesToTheTopicOfItsTypeKeyedByItsVideo() throws Exception {
        writer.publish(new VideoDeleted(Samples.VIDEO_ID, "alice"));

        ProducerRecord<byte[], byte[]> record = producer.history().getFirst();
        assertThat(record.topic()).isEqualTo(Topics.METADATA);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(Samples.VIDEO_ID);
        Envelope<?> envelope = new EventDeserializer().deserialize(record.topic(), record.value());
        assertThat(envelope.source()).isEqualTo("test/t-1");
        assertThat(envelope.data()).isEqualTo(new VideoDeleted(Samples.VIDEO_ID, "alice"));
    }

    @Test
    void aRetriedPublishKeepsItsEventId() throws Exception {
        String id = UUID.randomUUID().toString();
        writer.publish(id, new VideoDeleted(Samples.VIDEO_ID, "alice"));
        writer.publish(id, new VideoDeleted(Samples.VIDEO_ID, "alice"));

        EventDeserializer events = new EventDeserializer();
        assertThat(producer.history()).extracting(r -> events.deserialize(r.topic(), r.value()).id()).containsExactly(id, id);
    }

    @Test
    void aRefusedWriteIsAnEventWriteExceptionWithItsCause() {
        MockProducer<byte[], byte[]> refusing = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        EventWriter failing = new EventWriter(refusing, "test/t-1", Duration.ofSeconds(5));
        Thread.ofVirtual().start(() -> {
            while (refusing.history().isEmpty()) {
                Thread.onSpinWait();
            }
            refusing.errorNext(new IllegalStateException("not enough replicas"));
        });

        assertThatThrownBy(() -> failing.publish(new VideoDeleted(Samples.VIDEO_ID, "alice")))
                .isInstanceOf(EventWriteException.class).hasMessageContaining("reel.video.deleted")
                .hasRootCauseMessage("not enough replicas");
    }

    @Test
    void aWriteNotAcknowledgedInTimeFailsInsteadOfHanging() {
        MockProducer<byte[], byte[]> silent = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        EventWriter waiting = new EventWriter(silent, "test/t-1", Duration.ofMillis(100));

        assertThatThrownBy(() -> waiting.publish(new VideoDeleted(Samples.VIDEO_ID, "alice")))
                .isInstanceOf(EventWriteException.class).hasMessageContaining("within PT0.1S");
    }

    @Test
    void sendDoesNotWaitAndTellsTheCallbackWhenTheBrokerAnswered() {
        MockProducer<byte[], byte[]> manual = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        EventWriter writer = new EventWriter(manual, "edge/e-1", Duration.ofSeconds(5));
        AtomicReference<String> heard = new AtomicReference<>("nothing yet");

        writer.send(Envelope.of("edge/e-1", new TranscodeProgress(Samples.VIDEO_ID, "w", 10, 1.0)),
                (metadata, error) -> heard.set(error == null ? "acknowledged" : error.getMessage()));
        assertThat(heard).hasValue("nothing yet");
        manual.completeNext();
        assertThat(heard).hasValue("acknowledged");
    }
}
