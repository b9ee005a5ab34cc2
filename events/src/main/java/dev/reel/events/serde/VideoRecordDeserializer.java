package dev.reel.events.serde;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reel.events.VideoRecord;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a {@link VideoRecord} from JSON; a tombstone ({@code null}) is read as {@code null}, a deleted video. */
public final class VideoRecordDeserializer implements Deserializer<VideoRecord> {

    private final JsonCodec<VideoRecord> codec = new JsonCodec<>(new TypeReference<>() {
    });

    /**
     * @throws MalformedEventException if the value is not a valid catalog value
     */
    @Override
    public VideoRecord deserialize(String topic, byte[] value) {
        return codec.read(topic, value);
    }
}
