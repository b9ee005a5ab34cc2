package dev.reel.events.serde;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reel.events.VideoRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Writes a {@link VideoRecord} as JSON; {@code null} is written as {@code null}, a tombstone on {@code reel.catalog}. */
public final class VideoRecordSerializer implements Serializer<VideoRecord> {

    private final JsonCodec<VideoRecord> codec = new JsonCodec<>(new TypeReference<>() {
    });

    @Override
    public byte[] serialize(String topic, VideoRecord videoRecord) {
        return codec.write(topic, videoRecord);
    }
}
