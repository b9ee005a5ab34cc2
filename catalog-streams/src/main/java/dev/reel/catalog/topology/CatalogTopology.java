package dev.reel.catalog.topology;

import dev.reel.events.Envelope;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.serde.EventSerde;
import dev.reel.events.serde.VideoRecordSerde;
import dev.reel.events.streams.EventTimeExtractor;
import dev.reel.events.topics.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The catalog's Kafka Streams topology, in two independent sub-topologies:
 *
 * <ol>
 *   <li>{@code reel.uploads}, {@code reel.transcode} and {@code reel.metadata} (co-partitioned by video id) are
 *       folded into {@value #VIDEOS_STORE} (RocksDB, one {@link CatalogEntry} per video), and every change is
 *       written to the compacted {@code reel.catalog}.</li>
 *   <li>{@code reel.playback}: each playback session's first {@code playback.started} is one view
 *       ({@link FirstPlayOfSession}), counted in {@value #VIEWS_STORE} in total and in the hopping windows of
 *       {@link TrendingWindow}.</li>
 * </ol>
 *
 * Both read with the event's own time ({@link EventTimeExtractor}).
 */
public final class CatalogTopology {

    /** One {@link CatalogEntry} per video id. */
    public static final String VIDEOS_STORE = "videos";
    /** Total views per video id. */
    public static final String VIEWS_STORE = "views";

    /** How many partitions a queryable key-value store has: those of the topic its keys come from. */
    public static int partitionsOf(String store) {
        String source = VIEWS_STORE.equals(store) ? Topics.PLAYBACK : Topics.UPLOADS;
        return Topics.all().stream().filter(spec -> spec.name().equals(source)).findFirst().orElseThrow().partitions();
    }
    /** Playback sessions already counted, by video id and session id, for an hour. */
    public static final String VIEW_SESSIONS_STORE = "view-sessions";

    private CatalogTopology() {
    }

    public static Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        EventSerde events = new EventSerde();
        Consumed<String, Envelope<?>> consumed = Consumed.with(Serdes.String(), events)
                .withTimestampExtractor(new EventTimeExtractor());

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(VIDEOS_STORE), Serdes.String(), new CatalogEntrySerde()));
        builder.stream(List.of(Topics.UPLOADS, Topics.TRANSCODE, Topics.METADATA), consumed)
                .process(VideoFoldProcessor::new, VIDEOS_STORE)
                .to(Topics.CATALOG, Produced.with(Serdes.String(), new VideoRecordSerde()));

        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(VIEW_SESSIONS_STORE,
                FirstPlayOfSession.SESSION_MEMORY.multipliedBy(2), FirstPlayOfSession.SESSION_MEMORY, false),
                Serdes.String(), Serdes.Long()));
        KGroupedStream<String, Envelope<?>> plays = builder.stream(Topics.PLAYBACK, consumed)
                .filter((videoId, event) -> event != null && event.data() instanceof PlaybackStarted)
                .processValues(FirstPlayOfSession::new, VIEW_SESSIONS_STORE)
                .groupByKey(Grouped.with(Serdes.String(), events));
        plays.count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(VIEWS_STORE)
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        for (TrendingWindow window : TrendingWindow.values()) {
            plays.windowedBy(window.windows())
                    .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(window.storeName())
                            .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())
                            .withRetention(window.retention()));
        }
        return builder.build();
    }
}
