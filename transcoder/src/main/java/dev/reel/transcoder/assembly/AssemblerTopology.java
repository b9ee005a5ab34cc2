package dev.reel.transcoder.assembly;

import dev.reel.events.EventData;
import dev.reel.events.RenditionReady;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeFailed;
import dev.reel.events.topics.Topics;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.transcoder.ops.TranscoderMetrics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The assembler as a Kafka Streams topology: {@code reel.transcode} (keyed by video) through {@link AssemblerProcessor}
 * with one state per video in the store {@value #STORE} (in memory, restored from its changelog), back to
 * {@code reel.transcode}. Partitioned by video, so one assembler instance at a time publishes a video's playlists.
 */
public final class AssemblerTopology {

    /** The store of every video's {@link AssemblyState}. */
    public static final String STORE = "assembly";

    private AssemblerTopology() {
    }

    public static Topology build(Assembly assembly, ObjectStorage storage, TranscoderMetrics metrics, String source) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                Serdes.ByteArray()));
        builder.stream(Topics.TRANSCODE, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new AssemblerProcessor(assembly, storage, metrics, source), STORE)
                .to(Topics.TRANSCODE, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }

    /** The {@code event} tag of what the assembler published. */
    static String describe(EventData event) {
        return switch (event) {
            case RenditionReady ready -> ready.rendition().growing() ? "growing" : "complete";
            case TranscodeCompleted ignored -> "completed";
            case TranscodeFailed ignored -> "failed";
            default -> "progress";
        };
    }
}
