package dev.reel.analytics.topology;

import static dev.reel.analytics.PlaybackEvents.at;
import static dev.reel.analytics.PlaybackEvents.beacon;
import static dev.reel.analytics.PlaybackEvents.segment;
import static dev.reel.analytics.PlaybackEvents.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.analytics.config.AnalyticsConfig;
import dev.reel.analytics.metrics.Dimension;
import dev.reel.analytics.metrics.Granularity;
import dev.reel.analytics.metrics.HourRollup;
import dev.reel.analytics.metrics.Metrics;
import dev.reel.analytics.metrics.MetricsView;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.VideoDeleted;
import dev.reel.events.dlq.DeadLetterHeaders;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.topics.Topics;
import dev.reel.service.config.Env;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:05Z");
    private static final String VIDEO = "v_analytics0001";

    @TempDir
    Path state;

    private TopologyTestDriver driver;
    private TestInputTopic<String, Envelope<?>> playback;
    private TestInputTopic<byte[], byte[]> rawPlayback;
    private TestOutputTopic<byte[], byte[]> dlq;
    private final Map<Granularity, Integer> late = new EnumMap<>(Granularity.class);

    @BeforeEach
    void start() {
        Properties props = AnalyticsConfig.from(new Env(Map.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "unused:9092",
                "REEL_INSTANCE_ID", "analytics-test", "REEL_ANALYTICS_STATE_DIR", state.toString()))).streamsProperties();
        // The test driver does not emulate transactions (and drops a deserialization handler's dead letter under
        // exactly_once_v2); AnalyticsClusterIT runs exactly_once_v2 on a real broker.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(AnalyticsTopology.build(g -> late.merge(g, 1, Integer::sum)), props);
        playback = driver.createInputTopic(Topics.PLAYBACK, new StringSerializer(), new EventSerializer());
        rawPlayback = driver.createInputTopic(Topics.PLAYBACK, new ByteArraySerializer(), new ByteArraySerializer());
        dlq = driver.createOutputTopic(Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void oneSessionFromPlayToPageHide() {
        send(0, started(VIDEO, "s1", "edge-1"));
        send(1, started(VIDEO, "s1", "edge-2")); // the master playlist retried on the other edge: still one play
        send(2, segment(VIDEO, "s1", "edge-1", "240p", false, 400_000, 9_000, 440));
        send(3, segment(VIDEO, "s1", "edge-1", "240p", true, 400_000, 1_000, 440));
        send(4, segment(VIDEO, "s1", "edge-2", "360p", true, 800_000, 2_000, 880));
        send(5, beacon(VIDEO, "s1", 1, 800L, 0, 0, 0, "240p", null, false)); // first frame
        send(20, beacon(VIDEO, "s1", 3, 800L, 1, 500, 9_000, "360p", null, false)); // a stall ended
        send(21, beacon(VIDEO, "s1", 2, 800L, 0, 0, 4_000, "240p", null, false)); // older, arrived late: ignored
        send(22, beacon(VIDEO, "s1", 3, 800L, 1, 500, 9_000, "360p", null, false)); // repeated: ignored
        send(40, beacon(VIDEO, "s1", 4, 800L, 1, 500, 10_000, "360p", null, false)); // page hide

        MetricsView all = minute(Dimension.VIDEO.key(VIDEO));
        assertThat(all.plays()).isEqualTo(1);
        assertThat(all.uniqueSessions()).isEqualTo(1);
        assertThat(all.segmentRequests()).isEqualTo(3);
        assertThat(all.cacheHitRatio()).isEqualTo(0.667);
        assertThat(all.bytesServed()).isEqualTo(1_600_000);
        assertThat(all.averageBitrateKbps()).isEqualTo((440 + 440 + 880) / 3.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(all.startups()).isEqualTo(1);
        assertThat(all.startupMillisP50()).isEqualTo(800);
        assertThat(all.startupMillisP95()).isEqualTo(800);
        assertThat(all.stalls()).isEqualTo(1);
        assertThat(all.stallMillis()).isEqualTo(500);
        assertThat(all.watchMillis()).isEqualTo(10_000);
        assertThat(all.rebufferPercent()).isEqualTo(4.762); // 500 / (10,000 + 500)
        assertThat(all.playbackFailures()).isZero();
        assertThat(all.playbackFailurePercent()).isZero();
        assertThat(all.edgeLatencyMillisP99()).as("latency is kept per edge").isNull();

        MetricsView edge1 = minute(Dimension.EDGE.key("edge-1"));
        assertThat(edge1.edgeLatencyMillisP99()).isBetween(1.0, 9.0);
        assertThat(edge1.plays()).as("the play counts where the master playlist was served first").isEqualTo(1);
        assertThat(edge1.segmentRequests()).isEqualTo(2);
        assertThat(edge1.uniqueSessions()).isEqualTo(1);
        MetricsView edge2 = minute(Dimension.EDGE.key("edge-2"));
        assertThat(edge2.plays()).isZero();
        assertThat(edge2.uniqueSessions()).as("the session also used edge-2").isEqualTo(1);
        assertThat(minute(Dimension.RENDITION.key("360p")).watchMillis()).as("watch time goes to the rendition playing")
                .isEqualTo(9_000 - 0 + 1_000);
        assertThat(hour(Dimension.VIDEO.key(VIDEO))).isEqualTo(all);
    }

    @Test
    void aSessionSeenFirstThroughItsSegmentsHasItsPlayStored() {
        send(0, segment(VIDEO, "s1", "edge-1", "240p", false, 1_000, 500, 440));
        send(1, started(VIDEO, "s1", "edge-1")); // no new dimension, but the play must reach the store
        SessionState stored = sessions()
                .get(PlaybackProcessor.sessionKey(VIDEO, "s1"));
        assertThat(stored.playCounted).as("what a restarted task would read").isTrue();
        assertThat(minute(Dimension.VIDEO.key(VIDEO)).plays()).isEqualTo(1);
    }

    @Test
    void failuresAndExitsBeforeStartArePerPlay() {
        send(0, started(VIDEO, "ok", "edge-1"));
        send(1, beacon(VIDEO, "ok", 1, 600L, 0, 0, 2_000, "240p", null, false));
        send(2, started(VIDEO, "broken", "edge-1"));
        send(3, beacon(VIDEO, "broken", 1, null, 0, 0, 0, null, "networkError: fragLoadError", false));
        send(4, beacon(VIDEO, "broken", 2, null, 0, 0, 0, null, "networkError: fragLoadError", false));
        send(5, started(VIDEO, "left", "edge-1"));
        send(6, beacon(VIDEO, "left", 1, null, 0, 0, 0, null, null, true));
        send(7, started(VIDEO, "left-after-error", "edge-1"));
        send(8, beacon(VIDEO, "left-after-error", 1, null, 0, 0, 0, null, "mediaError: bufferStalledError", false));

        MetricsView all = minute(Dimension.VIDEO.key(VIDEO));
        assertThat(all.plays()).isEqualTo(4);
        assertThat(all.playbackFailures()).isEqualTo(2);
        assertThat(all.playbackFailurePercent()).isEqualTo(50.0);
        assertThat(all.exitsBeforeStart()).isEqualTo(1);
        assertThat(all.exitBeforeStartPercent()).isEqualTo(25.0);
        assertThat(all.startups()).isEqualTo(1);
    }

    @Test
    void eventsPastTheGraceLeaveTheMinuteButNotTheHour() {
        send(0, started(VIDEO, "early", "edge-1"));
        send(600, started(VIDEO, "ten-minutes-later", "edge-1")); // stream time moves on
        send(1, started(VIDEO, "late", "edge-1")); // nine minutes late: past the minute grace, within the hour's

        assertThat(minute(Dimension.VIDEO.key(VIDEO)).plays()).isEqualTo(1);
        assertThat(hour(Dimension.VIDEO.key(VIDEO)).plays()).isEqualTo(3);
        assertThat(late).containsEntry(Granularity.MINUTE, 1).doesNotContainKey(Granularity.HOUR);
    }

    @Test
    void anHourIsRolledUpFromItsMinutesOnceItHasClosed() {
        String key = Dimension.VIDEO.key(VIDEO);
        send(0, started(VIDEO, "s1", "edge-1"));
        send(1, segment(VIDEO, "s1", "edge-1", "240p", true, 1_000, 500, 440));
        send(70, beacon(VIDEO, "s1", 1, 900L, 1, 300, 5_000, "240p", null, false));
        send(1_500, started(VIDEO, "s2", "edge-1"));
        send(1_501, beacon(VIDEO, "s2", 1, 1_200L, 0, 0, 2_000, "240p", null, false));
        send(1_800, started(VIDEO, "s3", "edge-1")); // stream time moves on: 30 minutes after T0
        send(1_000, started(VIDEO, "late", "edge-1")); // past its minute's grace, within the hour's
        MetricsView open = hour(key);
        assertThat(open.plays()).isEqualTo(4);
        assertThat(open.startups()).isEqualTo(2);
        assertThat(storedHour(key).isRolledUp()).as("an open hour holds only what was too late for its minute").isFalse();
        assertThat(storedHour(key).view().plays()).isEqualTo(1);

        send(3_600 + 600, started(VIDEO, "next-hour", "edge-1")); // stream time passes the hour's end and grace

        Metrics rolled = storedHour(key);
        assertThat(rolled.isRolledUp()).isTrue();
        assertThat(rolled.view()).as("the same figures, quantiles included").isEqualTo(open);
        assertThat(hour(key)).isEqualTo(open);
        assertThat(driver.<String, Long>getKeyValueStore(AnalyticsTopology.ROLLUPS_STORE)
                .get(PlaybackProcessor.ROLLED_UP_TO)).isEqualTo(Granularity.HOUR.bucketStart(T0.toEpochMilli()));
        send(0, started(VIDEO, "much-too-late", "edge-1")); // nothing changes a closed hour
        assertThat(storedHour(key).view()).isEqualTo(open);
        assertThat(late).containsEntry(Granularity.HOUR, 1);
    }

    @Test
    void aPoisonRecordAndAnEventOfAnotherTopicGoToTheDeadLetterTopicAndProcessingGoesOn() {
        rawPlayback.pipeInput(VIDEO.getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8),
                T0);
        send(1, new VideoDeleted(VIDEO, "alice"));
        send(2, started(VIDEO, "after", "edge-1"));

        assertThat(dlq.readRecordsToList()).hasSize(2).allSatisfy(record -> {
            assertThat(new String(record.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(),
                    StandardCharsets.UTF_8)).isEqualTo(Topics.PLAYBACK);
            assertThat(record.headers().lastHeader(DeadLetterHeaders.SOURCE).value()).asString(StandardCharsets.UTF_8)
                    .isEqualTo("analytics-streams/analytics-test");
        });
        assertThat(minute(Dimension.VIDEO.key(VIDEO)).plays()).isEqualTo(1);
    }

    @Test
    void idleSessionsAreForgotten() {
        send(0, started(VIDEO, "old", "edge-1"));
        send(4 * 3600, started(VIDEO, "new", "edge-1"));
        assertThat(sessions()
                .get(PlaybackProcessor.sessionKey(VIDEO, "old"))).isNull();
        assertThat(sessions()
                .get(PlaybackProcessor.sessionKey(VIDEO, "new"))).isNotNull();
    }

    private void send(long secondsAfterT0, EventData data) {
        Instant time = T0.plusSeconds(secondsAfterT0);
        playback.pipeInput(data.videoId(), at(time, data), time);
    }

    private MetricsView minute(String key) {
        return figures(Granularity.MINUTE, key);
    }

    /** The hour of T0 as a query sees it: the hour bucket, and its minutes while it is not rolled up. */
    private MetricsView hour(String key) {
        long start = Granularity.HOUR.bucketStart(T0.toEpochMilli());
        List<Metrics> ofMinutes = new ArrayList<>();
        try (WindowStoreIterator<Metrics> found = store(Granularity.MINUTE).fetch(key, Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + 3_599_999))) {
            found.forEachRemaining(minute -> ofMinutes.add(minute.value));
        }
        return HourRollup.of(storedHour(key), ofMinutes).view();
    }

    private Metrics storedHour(String key) {
        return store(Granularity.HOUR).fetch(key, Granularity.HOUR.bucketStart(T0.toEpochMilli()));
    }

    private MetricsView figures(Granularity granularity, String key) {
        Metrics metrics = store(granularity).fetch(key, granularity.bucketStart(T0.toEpochMilli()));
        assertThat(metrics).as("%s figures of %s", granularity, key).isNotNull();
        return metrics.view();
    }

    /** The sessions as of the last commit (the driver commits after every record). */
    @SuppressWarnings("unchecked")
    private ReadOnlyKeyValueStore<String, SessionState> sessions() {
        return (ReadOnlyKeyValueStore<String, SessionState>) driver.getAllStateStores().get(AnalyticsTopology.SESSIONS_STORE);
    }

    /** A window store as queries read it: as of the last commit (the driver commits after every record). */
    @SuppressWarnings("unchecked")
    private ReadOnlyWindowStore<String, Metrics> store(Granularity granularity) {
        return (ReadOnlyWindowStore<String, Metrics>) driver.getAllStateStores().get(granularity.storeName());
    }
}
