package dev.reel.catalog.topology;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.reel.events.json.EventJson;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The catalog store's value (and its changelog's) as JSON, with the events' own mapping, so the upload folded
 * into an entry reads back exactly as it was on {@code reel.uploads}.
 */
public final class CatalogEntrySerde implements Serde<CatalogEntry> {

    private final ObjectReader reader;
    private final ObjectWriter writer;

    public CatalogEntrySerde() {
        var mapper = EventJson.mapper();
        this.reader = mapper.readerFor(CatalogEntry.class);
        this.writer = mapper.writerFor(CatalogEntry.class);
    }

    @Override
    public Serializer<CatalogEntry> serializer() {
        return (topic, entry) -> {
            if (entry == null) {
                return null;
            }
            try {
                return writer.writeValueAsBytes(entry);
            } catch (IOException e) {
                throw new SerializationException("could not write the catalog entry of " + entry.videoId(), e);
            }
        };
    }

    @Override
    public Deserializer<CatalogEntry> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return reader.readValue(bytes);
            } catch (IOException e) {
                throw new SerializationException("could not read a catalog entry from " + topic, e);
            }
        };
    }
}
