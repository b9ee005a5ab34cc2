package dev.reel.events.serde;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.reel.events.json.EventJson;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;

/** Reads and writes one value type as Reel JSON for the Kafka serializers; {@code null} stays {@code null}. */
final class JsonCodec<T> {

    private final ObjectReader reader;
    private final ObjectWriter writer;

    JsonCodec(TypeReference<T> type) {
        ObjectMapper mapper = EventJson.mapper();
        this.reader = mapper.readerFor(type);
        this.writer = mapper.writerFor(type);
    }

    byte[] write(String topic, T value) {
        if (value == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new SerializationException("Could not write a value for topic '" + topic + "' as JSON", e);
        }
    }

    T read(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return reader.readValue(bytes);
        } catch (JacksonException e) {
            throw new MalformedEventException(topic, bytes, reason(e), e);
        } catch (IOException e) {
            throw new MalformedEventException(topic, bytes, e.getMessage(), e);
        }
    }

    /** Jackson's message without the location noise, but with the path to the bad field when known. */
    private static String reason(JacksonException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return e.getOriginalMessage() + " (at " + mapping.getPathReference() + ")";
        }
        return e.getOriginalMessage();
    }
}
