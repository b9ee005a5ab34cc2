package dev.reel.events.serde;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reel.events.Samples;
import dev.reel.events.VideoRecord;
import dev.reel.events.json.EventJson;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class VideoRecordSerdeTest {

    private static final String TOPIC = "reel.catalog";

    private final Serde<VideoRecord> serde = new VideoRecordSerde();

    @Test
    void roundTrips() {
        VideoRecord record = Samples.videoRecord();

        assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, record))).isEqualTo(record);
    }

    @Test
    void tombstoneIsNull() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void transitionsAreKeyedByStateName() throws Exception {
        JsonNode written = EventJson.mapper().readTree(serde.serializer().serialize(TOPIC, Samples.videoRecord()));

        assertThat(written.get("transitions").get("PLAYABLE").textValue()).isEqualTo("2026-11-24T10:00:09Z");
        assertThat(written.get("state").textValue()).isEqualTo("PLAYABLE");
        assertThat(written.get("visibility").textValue()).isEqualTo("public");
    }

    @Test
    void malformedValuesKeepTheirBytes() throws Exception {
        ObjectNode noOwner = (ObjectNode) EventJson.mapper().readTree(serde.serializer().serialize(TOPIC, Samples.videoRecord()));
        noOwner.remove("owner");
        ObjectNode epochTime = (ObjectNode) EventJson.mapper()
                .readTree(serde.serializer().serialize(TOPIC, Samples.videoRecord()));
        epochTime.put("updatedAt", 1_700_000_000L);

        for (byte[] value : new byte[][]{"not json".getBytes(UTF_8), "{}".getBytes(UTF_8),
                EventJson.mapper().writeValueAsBytes(noOwner), EventJson.mapper().writeValueAsBytes(epochTime)}) {
            MalformedEventException e = catchThrowableOfType(MalformedEventException.class,
                    () -> serde.deserializer().deserialize(TOPIC, value));
            assertThat(e).isNotNull();
            assertThat(e.rawValue()).isEqualTo(value);
            assertThat(e.topic()).isEqualTo(TOPIC);
        }
    }
}
