package dev.reel.events.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.EventType;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads an envelope's {@code type} first and then its {@code data} as the record that type names; the
 * CloudEvents type is the discriminator, so the data carries no type property of its own.
 */
@SuppressWarnings("rawtypes") // registered for the raw Envelope class, as Jackson looks deserializers up by class
final class EnvelopeJsonDeserializer extends StdDeserializer<Envelope> {

    EnvelopeJsonDeserializer() {
        super(Envelope.class);
    }

    @Override
    public Envelope<?> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode node = context.readTree(parser);
        if (!node.isObject()) {
            return context.reportInputMismatch(Envelope.class, "an event must be a JSON object, was %s", node.getNodeType());
        }
        String type = text(node, "type", context);
        if (type == null) {
            return context.reportInputMismatch(Envelope.class, "an event must have a 'type'");
        }
        EventType eventType = EventType.fromType(type).orElse(null);
        if (eventType == null) {
            return context.reportInputMismatch(Envelope.class, "unknown event type '%s'", type);
        }
        JsonNode data = node.get("data");
        if (data == null || !data.isObject()) {
            return context.reportInputMismatch(Envelope.class, "data of a '%s' event must be a JSON object", type);
        }
        EventData payload = context.readTreeAsValue(data, eventType.dataClass());
        JsonNode timeNode = node.get("time");
        Instant time = timeNode == null || timeNode.isNull() ? null : context.readTreeAsValue(timeNode, Instant.class);
        try {
            return new Envelope<>(text(node, "id", context), type, text(node, "source", context), time,
                    text(node, "subject", context), text(node, "specversion", context),
                    text(node, "datacontenttype", context), payload);
        } catch (IllegalArgumentException e) {
            throw context.instantiationException(Envelope.class, e);
        }
    }

    /** The string member, or {@code null} if absent so the envelope's own checks name what is missing. */
    private static String text(JsonNode node, String field, DeserializationContext context) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            return context.reportInputMismatch(Envelope.class, "'%s' must be a string, was %s", field, value.getNodeType());
        }
        return value.textValue();
    }
}
