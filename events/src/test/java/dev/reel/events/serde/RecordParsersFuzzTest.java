package dev.reel.events.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.reel.events.Envelope;
import dev.reel.events.VideoRecord;
import dev.reel.events.topics.Topics;

/**
 * Fuzzing of what every consumer reads from Kafka: event envelopes (any topic's bytes) and {@code reel.catalog}
 * records. Whatever the bytes, the answer is a valid record or a {@link MalformedEventException} (which consumers send
 * to {@code reel.dlq} and move on), never another exception that would stop a consumer; what is read writes back to
 * bytes that read the same. CI replays {@code RecordParsersFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class RecordParsersFuzzTest {

    private final EventDeserializer events = new EventDeserializer();
    private final EventSerializer eventWriter = new EventSerializer();
    private final VideoRecordDeserializer records = new VideoRecordDeserializer();
    private final VideoRecordSerializer recordWriter = new VideoRecordSerializer();

    @FuzzTest
    void eventEnvelopes(byte[] bytes) {
        Envelope<?> event;
        try {
            event = events.deserialize(Topics.UPLOADS, bytes);
        } catch (MalformedEventException refused) {
            return;
        }
        if (event != null) {
            assertThat(events.deserialize(Topics.UPLOADS, eventWriter.serialize(Topics.UPLOADS, event))).isEqualTo(event);
        }
    }

    @FuzzTest
    void catalogRecords(byte[] bytes) {
        VideoRecord record;
        try {
            record = records.deserialize(Topics.CATALOG, bytes);
        } catch (MalformedEventException refused) {
            return;
        }
        if (record != null) {
            assertThat(records.deserialize(Topics.CATALOG, recordWriter.serialize(Topics.CATALOG, record))).isEqualTo(record);
        }
    }
}
