package dev.reel.events.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.reel.events.Envelope;
import java.time.Instant;

/**
 * The JSON mapping of Reel's events and catalog values; every module reads and writes them through a mapper
 * from here so that all agree on the wire format.
 */
public final class EventJson {

    private EventJson() {
    }

    /**
     * A new mapper configured for Reel's JSON: times as ISO-8601 strings, {@code null} fields left out, unknown
     * fields ignored (a newer producer may add some), an {@link Envelope}'s {@code data} read as the record its
     * {@code type} names (an unknown type is an error), and a missing number or boolean, or a value of the
     * wrong JSON type (a time must be an ISO-8601 string), is an error.
     *
     * <p>A new instance per call because {@link ObjectMapper} is mutable; configure it no further and share it.
     *
     * @return the mapper
     */
    public static ObjectMapper mapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("reel")
                        .addDeserializer(Envelope.class, new EnvelopeJsonDeserializer())
                        .addDeserializer(Instant.class, new IsoInstantDeserializer()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // A value of the wrong JSON type is an error, as in the JSON Schemas, not silently converted.
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withCoercionConfig(LogicalType.Textual, strings -> strings
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Two "type" members would make the event mean whatever the reader picks.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.USE_DEFAULTS))
                .build();
    }
}
