package dev.reel.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.reel.events.json.EventJson;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.serde.VideoRecordDeserializer;
import dev.reel.events.serde.VideoRecordSerializer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published JSON Schemas and the Java types describe the same JSON: what the serializer writes is valid,
 * a field is required in the schema exactly when the deserializer needs it, and the schema names every field.
 */
class JsonSchemasTest {

    private static final String SCHEMAS = "dev/reel/events/schemas/";
    private static final String TOPIC = "reel.test";

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private final ObjectMapper json = EventJson.mapper();
    private final EventSerializer serializer = new EventSerializer();
    private final EventDeserializer deserializer = new EventDeserializer();

    static Stream<Class<?>> eventTypes() {
        return Samples.eventTypes().stream();
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void serializedEventsAreValid(Class<?> type) throws Exception {
        EventData sample = Samples.of(type);
        JsonNode envelope = json.readTree(serializer.serialize(TOPIC, Envelope.of("test/host-1", sample)));

        assertThat(schema("envelope.schema.json").validate(envelope)).isEmpty();
        assertThat(dataSchema(sample).validate(envelope.get("data"))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void dataSchemaRequiresExactlyWhatTheDeserializerRequires(Class<?> type) throws Exception {
        EventData sample = Samples.of(type);
        JsonSchema schema = dataSchema(sample);
        ObjectNode envelope = (ObjectNode) json.readTree(serializer.serialize(TOPIC, Samples.envelope(sample)));
        ObjectNode data = (ObjectNode) envelope.get("data");

        assertThat(fieldNames(data)).as("the sample sets every field the schema describes")
                .isEqualTo(fieldNames(schema.getSchemaNode().get("properties")));
        Set<String> required = requiredOf(schema);
        for (String field : fieldNames(data)) {
            ObjectNode without = envelope.deepCopy();
            ((ObjectNode) without.get("data")).remove(field);
            byte[] bytes = json.writeValueAsBytes(without);
            if (required.contains(field)) {
                assertThat(schema.validate(without.get("data"))).as("schema without required %s", field).isNotEmpty();
                assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes)).as("reading without %s", field)
                        .isInstanceOf(MalformedEventException.class);
            } else {
                assertThat(schema.validate(without.get("data"))).as("schema without optional %s", field).isEmpty();
                assertThat(deserializer.deserialize(TOPIC, bytes)).as("reading without %s", field).isNotNull();
            }
        }
    }

    @Test
    void envelopeSchemaRejectsABrokenEnvelope() throws Exception {
        JsonSchema schema = schema("envelope.schema.json");
        assertInvalid(schema, envelopeJson(), e -> e.remove("subject"));
        assertInvalid(schema, envelopeJson(), e -> e.put("specversion", "0.3"));
        assertInvalid(schema, envelopeJson(), e -> e.put("type", "reel.video.exploded"));
        assertInvalid(schema, envelopeJson(), e -> e.put("time", "yesterday"));
        assertInvalid(schema, envelopeJson(), e -> e.put("id", "not-a-uuid"));
    }

    @Test
    void dataSchemasRejectWrongValues() throws Exception {
        JsonSchema uploaded = schema("reel.video.uploaded.schema.json");
        JsonNode valid = json.valueToTree(Samples.of(VideoUploaded.class));
        assertInvalid(uploaded, valid, d -> d.put("sizeBytes", "48213004"));
        assertInvalid(uploaded, valid, d -> d.put("visibility", "PUBLIC"));
        assertInvalid(uploaded, valid, d -> d.put("sha256", "xyz"));
        assertInvalid(uploaded, valid, d -> d.put("videoId", "../../etc"));

        JsonSchema metadata = schema("reel.video.metadata-updated.schema.json");
        JsonNode changes = json.valueToTree(Samples.of(VideoMetadataUpdated.class));
        assertInvalid(metadata, changes, d -> d.retain("videoId"));

        JsonSchema captions = schema("reel.captions.set.schema.json");
        JsonNode track = json.valueToTree(Samples.of(CaptionsSet.class));
        assertInvalid(captions, track, d -> ((ObjectNode) d.get("track")).put("language", "english"));
        assertInvalid(captions, track, d -> ((ObjectNode) d.get("track")).put("language", "../en"));
        assertInvalid(captions, track, d -> ((ObjectNode) d.get("track")).put("label", "say \"hi\""));
        assertInvalid(captions, track, d -> ((ObjectNode) d.get("track")).put("kind", "karaoke"));
        assertInvalid(captions, track, d -> ((ObjectNode) d.get("track")).put("cues", 0));
        assertInvalid(schema("reel.captions.removed.schema.json"), json.valueToTree(Samples.of(CaptionsRemoved.class)),
                d -> d.put("language", "en_US"));

        JsonSchema ready = schema("reel.rendition.ready.schema.json");
        JsonNode rendition = json.valueToTree(Samples.of(RenditionReady.class));
        assertInvalid(ready, rendition, d -> ((ObjectNode) d.get("rendition")).remove("codecs"));

        JsonSchema served = schema("reel.segment.served.schema.json");
        JsonNode segment = json.valueToTree(Samples.of(SegmentServed.class));
        assertInvalid(served, segment, d -> d.put("objectType", "video"));
        assertInvalid(served, segment, d -> d.put("bufferMillis", -1));
        assertInvalid(served, segment, d -> d.put("startup", "yes"));

        JsonSchema beacon = schema("reel.playback.beacon.schema.json");
        JsonNode qoe = json.valueToTree(Samples.of(PlaybackBeacon.class));
        assertInvalid(beacon, qoe, d -> ((ObjectNode) d.get("stallEvents").get(0)).remove("durationMillis"));
        assertInvalid(beacon, qoe, d -> d.put("trigger", "Page Hide"));
        assertInvalid(beacon, qoe, d -> d.put("exitedBeforeStart", "no"));
    }

    @Test
    void aRenditionIsCompleteUnlessItSaysItIsGrowing() throws Exception {
        JsonSchema schema = schema("reel.rendition.ready.schema.json");
        ObjectNode envelope = (ObjectNode) json.readTree(serializer.serialize(TOPIC,
                Samples.envelope(new RenditionReady(Samples.VIDEO_ID, Samples.growing(Samples.R240)))));
        ObjectNode rendition = (ObjectNode) envelope.get("data").get("rendition");
        assertThat(rendition.get("growing").booleanValue()).isTrue();
        assertThat(schema.validate(envelope.get("data"))).isEmpty();
        assertThat(
                ((RenditionReady) deserializer.deserialize(TOPIC, json.writeValueAsBytes(envelope)).data()).rendition().growing())
                .isTrue();

        rendition.remove("growing"); // as written before the field existed
        assertThat(schema.validate(envelope.get("data"))).isEmpty();
        assertThat(((RenditionReady) deserializer.deserialize(TOPIC, json.writeValueAsBytes(envelope)).data()).rendition())
                .isEqualTo(Samples.R240);
        assertInvalid(schema, envelope.get("data"), d -> ((ObjectNode) d.get("rendition")).put("growing", "yes"));
    }

    @Test
    void aRenditionWithoutKindIsMuxedAndAnAudioRenditionHasNoPictureSize() throws Exception {
        JsonSchema schema = schema("reel.rendition.ready.schema.json");
        ObjectNode muxed = (ObjectNode) json.valueToTree(new RenditionReady(Samples.VIDEO_ID, Samples.MUXED));
        ((ObjectNode) muxed.get("rendition")).remove(List.of("kind", "interim")); // as written before the fields existed
        assertThat(schema.validate(muxed)).isEmpty();
        ObjectNode envelope = (ObjectNode) json.readTree(serializer.serialize(TOPIC, Samples.envelope(Samples.of(
                RenditionReady.class))));
        envelope.set("data", muxed);
        Rendition read = ((RenditionReady) deserializer.deserialize(TOPIC, json.writeValueAsBytes(envelope)).data()).rendition();
        assertThat(read).isEqualTo(Samples.MUXED);
        assertThat(read.kind()).isEqualTo(RenditionKind.MUXED);
        assertThat(read.interim()).isFalse();

        JsonNode audio = json.valueToTree(new RenditionReady(Samples.VIDEO_ID, Samples.AUDIO));
        assertThat(audio.get("rendition").get("kind").asText()).isEqualTo("audio");
        assertThat(schema.validate(audio)).isEmpty();
        assertInvalid(schema, audio, d -> ((ObjectNode) d.get("rendition")).put("width", 640));
        JsonNode source = json.valueToTree(new RenditionReady(Samples.VIDEO_ID, Samples.SOURCE));
        assertThat(source.get("rendition").get("interim").asBoolean()).isTrue();
        assertThat(schema.validate(source)).isEmpty();
        assertInvalid(schema, source, d -> ((ObjectNode) d.get("rendition")).put("width", 0));
        assertInvalid(schema, source, d -> ((ObjectNode) d.get("rendition")).put("kind", "subtitles"));
    }

    @Test
    void videoRecordSchemaMatchesTheRecord() throws Exception {
        JsonSchema schema = schema("video-record.schema.json");
        VideoRecordDeserializer recordDeserializer = new VideoRecordDeserializer();
        ObjectNode record = (ObjectNode) json.readTree(new VideoRecordSerializer().serialize(TOPIC, Samples.videoRecord()));

        assertThat(schema.validate(record)).isEmpty();
        assertThat(fieldNames(record)).isEqualTo(fieldNames(schema.getSchemaNode().get("properties")));
        Set<String> required = requiredOf(schema);
        for (String field : fieldNames(record)) {
            ObjectNode without = record.deepCopy();
            without.remove(field);
            byte[] bytes = json.writeValueAsBytes(without);
            if (required.contains(field)) {
                assertThat(schema.validate(without)).as("schema without required %s", field).isNotEmpty();
                assertThatThrownBy(() -> recordDeserializer.deserialize(TOPIC, bytes)).as("reading without %s", field)
                        .isInstanceOf(MalformedEventException.class);
            } else {
                assertThat(schema.validate(without)).as("schema without optional %s", field).isEmpty();
                assertThat(recordDeserializer.deserialize(TOPIC, bytes)).as("reading without %s", field).isNotNull();
            }
        }
        assertInvalid(schema, record, r -> ((ObjectNode) r.get("transitions")).put("EXPLODED", "2026-11-24T10:00:00Z"));
        assertInvalid(schema, record, r -> r.put("state", "playable"));
    }

    private ObjectNode envelopeJson() throws Exception {
        return (ObjectNode) json.readTree(serializer.serialize(TOPIC, Samples.envelope(Samples.of(VideoDeleted.class))));
    }

    private static void assertInvalid(JsonSchema schema, JsonNode valid, Consumer<ObjectNode> breakIt) {
        ObjectNode broken = valid.deepCopy();
        breakIt.accept(broken);
        Set<ValidationMessage> errors = schema.validate(broken);
        assertThat(errors).as("validating %s", broken).isNotEmpty();
    }

    private JsonSchema dataSchema(EventData data) {
        return schema(EventType.of(data).type() + ".schema.json");
    }

    private JsonSchema schema(String file) {
        assertThat(getClass().getClassLoader().getResource(SCHEMAS + file)).as("schema %s", file).isNotNull();
        JsonSchema schema = factory.getSchema(SchemaLocation.of("classpath:" + SCHEMAS + file), config);
        schema.initializeValidators();
        return schema;
    }

    private static Set<String> requiredOf(JsonSchema schema) {
        Set<String> required = new HashSet<>();
        schema.getSchemaNode().get("required").forEach(name -> required.add(name.textValue()));
        return required;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
