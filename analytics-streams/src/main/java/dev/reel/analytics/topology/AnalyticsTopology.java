package dev.reel.analytics.topology;

import dev.reel.analytics.metrics.Granularity;
import dev.reel.analytics.metrics.MetricsSerde;
import dev.reel.events.Envelope;
import dev.reel.events.VideoRecord;
import dev.reel.events.serde.EventSerde;
import dev.reel.events.serde.VideoRecordSerde;
import dev.reel.events.streams.EventTimeExtractor;
import dev.reel.events.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The analytics topology: {@code reel.playback} (12 partitions, keyed by video id) through {@link PlaybackProcessor}
 * into a sessions store and two window stores of figures per dimension ({@link Granularity}), all changelogged and
 * written when the task commits ({@link WriteBehindStore}), so
 * exactly-once processing makes every figure exact across crashes. No repartition: each task keeps the figures of its
 * own partition, and a query adds the partitions up (the figures are sums and mergeable sketches). The compacted
 * {@code reel.catalog} is a global table on every instance, for the title and visibility of a video at query time.
 */
public final class AnalyticsTopology {

    /** Playback sessions by {@code videoId/sessionId}. */
    public static final String SESSIONS_STORE = "sessions";
    /** How far each task has rolled minutes up into hours ({@link dev.reel.analytics.metrics.HourRollup}). */
    public static final String ROLLUPS_STORE = "rollups";
    /** {@code reel.catalog}: the current record of every video, on every instance. */
    public static final String CATALOG_STORE = "catalog";

    private AnalyticsTopology() {
    }

    public static Topology build(LateEvents late) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(WriteBehindKeyValueStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SESSIONS_STORE), Serdes.String(), new SessionState.StateSerde())
                .withCachingEnabled()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROLLUPS_STORE), Serdes.String(),
                Serdes.Long()));
        String[] stores = new String[Granularity.values().length + 2];
        stores[0] = SESSIONS_STORE;
        stores[1] = ROLLUPS_STORE;
        for (Granularity granularity : Granularity.values()) {
            builder.addStateStore(WriteBehindWindowStore.builder(Stores.windowStoreBuilder(Stores.persistentWindowStore(
                    granularity.storeName(), granularity.retention(), granularity.bucket(), false), Serdes.String(),
                    new MetricsSerde()).withCachingEnabled()));
            stores[granularity.ordinal() + 2] = granularity.storeName();
        }
        builder.stream(Topics.PLAYBACK, Consumed.<String, Envelope<?>>with(Serdes.String(), new EventSerde())
                .withTimestampExtractor(new EventTimeExtractor()))
                .process(() -> new PlaybackProcessor(late), stores);
        builder.globalTable(Topics.CATALOG, Consumed.with(Serdes.String(), new VideoRecordSerde()),
                Materialized.<String, VideoRecord, KeyValueStore<Bytes, byte[]>>as(CATALOG_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(new VideoRecordSerde()));
        return builder.build();
    }
}
