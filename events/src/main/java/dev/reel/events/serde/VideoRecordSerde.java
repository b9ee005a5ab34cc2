package dev.reel.events.serde;

import dev.reel.events.VideoRecord;
import org.apache.kafka.common.serialization.Serdes;

/** {@link VideoRecordSerializer} and {@link VideoRecordDeserializer} as one serde, e.g. for Kafka Streams. */
public final class VideoRecordSerde extends Serdes.WrapperSerde<VideoRecord> {

    public VideoRecordSerde() {
        super(new VideoRecordSerializer(), new VideoRecordDeserializer());
    }
}
