package dev.reel.events.serde;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.Samples;
import dev.reel.events.VideoUploaded;
import dev.reel.events.json.EventJson;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventSerdeTest {

    private static final String TOPIC = "reel.uploads";

    private final EventSerializer serializer = new EventSerializer();
    private final EventDeserializer deserializer = new EventDeserializer();
    private final ObjectMapper json = EventJson.mapper();

    static Stream<Class<?>> eventTypes() {
        return Samples.eventTypes().stream();
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void everyTypeRoundTrips(Class<?> type) {
        Envelope<EventData> envelope = Samples.envelope(Samples.of(type));

        Envelope<?> read = deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, envelope));

        assertThat(read).isEqualTo(envelope);
        assertThat(read.data()).isInstanceOf(type);
    }

    @Test
    void serdeRoundTripsAFreshEvent() {
        try (Serde<Envelope<?>> serde = new EventSerde()) {
            Envelope<VideoUploaded> envelope = Envelope.of("ingest/host-1", (VideoUploaded) Samples.of(VideoUploaded.class));

            assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, envelope)))
                    .isEqualTo(envelope);
        }
    }

    @Test
    void writesTheCloudEventsJsonFormat() throws Exception {
        JsonNode written = json.readTree(serializer.serialize(TOPIC, Samples.envelope(Samples.of(VideoUploaded.class))));

        assertThat(written.properties()).extracting(java.util.Map.Entry::getKey).containsExactly(
                "id", "type", "source", "time", "subject", "specversion", "datacontenttype", "data");
        assertThat(written.get("id").textValue()).isEqualTo("3b241101-e2bb-4255-8caf-4136c566a962");
        assertThat(written.get("type").textValue()).isEqualTo("reel.video.uploaded");
        assertThat(written.get("time").textValue()).isEqualTo("2026-11-24T10:00:00.123Z");
        assertThat(written.get("subject").textValue()).isEqualTo(Samples.VIDEO_ID);
        assertThat(written.get("specversion").textValue()).isEqualTo("1.0");
        assertThat(written.get("datacontenttype").textValue()).isEqualTo("application/json");
        assertThat(written.get("data").get("visibility").textValue()).isEqualTo("unlisted");
        assertThat(written.get("data").has("type")).as("the envelope's type is the only discriminator").isFalse();
    }

    @Test
    void leavesNullFieldsOut() throws Exception {
        VideoUploaded noAudio = new VideoUploaded(Samples.VIDEO_ID, "t", null, "o", dev.reel.events.Visibility.PRIVATE,
                null, 1, Samples.SHA256, 1, 2, 2, "vp9", null, "k");

        JsonNode data = json.readTree(serializer.serialize(TOPIC, Samples.envelope(noAudio))).get("data");

        assertThat(data.has("audioCodec")).isFalse();
        assertThat(data.has("description")).isFalse();
        assertThat(data.has("filename")).isFalse();
    }

    @Test
    void ignoresMembersAddedByANewerProducer() throws Exception {
        ObjectNode node = envelopeJson(Samples.of(VideoUploaded.class));
        node.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        ((ObjectNode) node.get("data")).put("hdr", true);

        assertThat(deserializer.deserialize(TOPIC, json.writeValueAsBytes(node)))
                .isEqualTo(Samples.envelope(Samples.of(VideoUploaded.class)));
    }

    @Test
    void readsATimeWithAnOffset() throws Exception {
        ObjectNode node = envelopeJson(Samples.of(VideoUploaded.class)).put("time", "2026-11-24T11:00:00.123+01:00");

        assertThat(deserializer.deserialize(TOPIC, json.writeValueAsBytes(node)).time())
                .isEqualTo(java.time.Instant.parse("2026-11-24T10:00:00.123Z"));
    }

    @Test
    void passesNullThrough() {
        assertThat(serializer.serialize(TOPIC, null)).isNull();
        assertThat(deserializer.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void garbageIsMalformed() {
        assertMalformed("\u0000\u00ffnot json at all".getBytes(UTF_8), "");
        assertMalformed("".getBytes(UTF_8), "");
        assertMalformed("[1,2]".getBytes(UTF_8), "must be a JSON object");
        assertMalformed("{\"id\":\"x\"} trailing".getBytes(UTF_8), "");
    }

    @Test
    void emptyObjectIsMalformed() {
        assertMalformed("{}".getBytes(UTF_8), "must have a 'type'");
    }

    @Test
    void unknownTypeIsMalformed() throws Exception {
        ObjectNode node = envelopeJson(Samples.of(VideoUploaded.class)).put("type", "reel.video.exploded");

        assertMalformed(json.writeValueAsBytes(node), "unknown event type 'reel.video.exploded'");
    }

    @Test
    void dataMissingARequiredFieldIsMalformed() throws Exception {
        ObjectNode node = envelopeJson(Samples.of(VideoUploaded.class));
        ((ObjectNode) node.get("data")).remove("sha256");
        assertMalformed(json.writeValueAsBytes(node), "sha256 must not be blank");

        ObjectNode noSize = envelopeJson(Samples.of(VideoUploaded.class));
        ((ObjectNode) noSize.get("data")).remove("sizeBytes");
        assertMalformed(json.writeValueAsBytes(noSize), "sizeBytes");
    }

    @Test
    void dataFailingValidationIsMalformed() throws Exception {
        ObjectNode node = envelopeJson(Samples.of(VideoUploaded.class));
        ((ObjectNode) node.get("data")).put("sizeBytes", -1);

        assertMalformed(json.writeValueAsBytes(node), "sizeBytes must not be negative");
    }

    @Test
    void dataOfAnotherTypeIsMalformed() throws Exception {
        ObjectNode node = envelopeJson(Samples.of(VideoUploaded.class));
        node.set("data", json.valueToTree(Samples.of(dev.reel.events.TranscodeProgress.class)));

        assertMalformed(json.writeValueAsBytes(node), "VideoUploaded");
    }

    @Test
    void wrongSubjectIsMalformed() throws Exception {
        ObjectNode node = envelopeJson(Samples.of(VideoUploaded.class)).put("subject", "another-video");

        assertMalformed(json.writeValueAsBytes(node), "subject 'another-video' must equal data.videoId");
    }

    @Test
    void valuesOfTheWrongJsonTypeAreMalformed() throws Exception {
        for (var change : List.<java.util.function.Consumer<ObjectNode>>of(
                data -> data.put("sizeBytes", "48213004"),
                data -> data.put("width", 1920.5),
                data -> data.put("title", 42),
                data -> data.put("visibility", "PUBLIC"),
                data -> data.put("visibility", 0))) {
            ObjectNode node = envelopeJson(Samples.of(VideoUploaded.class));
            change.accept((ObjectNode) node.get("data"));
            assertMalformed(json.writeValueAsBytes(node), "");
        }
        assertMalformed(json.writeValueAsBytes(envelopeJson(Samples.of(VideoUploaded.class)).put("time", "yesterday")), "");
        assertMalformed(json.writeValueAsBytes(envelopeJson(Samples.of(VideoUploaded.class)).put("time", 1_700_000_000)),
                "Instant");
        assertMalformed(json.writeValueAsBytes(envelopeJson(Samples.of(VideoUploaded.class)).put("id", 7)),
                "'id' must be a string");
    }

    @Test
    void duplicateMembersAreMalformed() {
        String twoTypes = new String(serializer.serialize(TOPIC, Samples.envelope(Samples.of(VideoUploaded.class))), UTF_8)
                .replaceFirst("\\{", "{\"type\":\"reel.video.deleted\",");

        assertMalformed(twoTypes.getBytes(UTF_8), "Duplicate field 'type'");
    }

    private ObjectNode envelopeJson(EventData data) throws Exception {
        return (ObjectNode) json.readTree(serializer.serialize(TOPIC, Samples.envelope(data)));
    }

    private void assertMalformed(byte[] value, String reason) {
        MalformedEventException e = catchThrowableOfType(MalformedEventException.class,
                () -> deserializer.deserialize(TOPIC, value));

        assertThat(e).as("deserializing %s", new String(value, UTF_8)).isNotNull();
        assertThat(e.rawValue()).isEqualTo(value);
        assertThat(e.topic()).isEqualTo(TOPIC);
        assertThat(e.reason()).isNotBlank().contains(reason);
        assertThat(e).hasMessageContaining(TOPIC);
    }
}
