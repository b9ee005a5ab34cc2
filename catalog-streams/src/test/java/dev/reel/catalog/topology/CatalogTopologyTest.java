package dev.reel.catalog.topology;

import static dev.reel.catalog.TestEvents.at;
import static dev.reel.catalog.TestEvents.completed;
import static dev.reel.catalog.TestEvents.deleted;
import static dev.reel.catalog.TestEvents.play;
import static dev.reel.catalog.TestEvents.progress;
import static dev.reel.catalog.TestEvents.ready;
import static dev.reel.catalog.TestEvents.retitled;
import static dev.reel.catalog.TestEvents.segment;
import static dev.reel.catalog.TestEvents.started;
import static dev.reel.catalog.TestEvents.uploaded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.Envelope;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.dlq.DeadLetterHeaders;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.serde.VideoRecordDeserializer;
import dev.reel.events.streams.DeadLetterDeserializationHandler;
import dev.reel.events.streams.DeadLetterProcessingHandler;
import dev.reel.events.streams.DeadLetters;
import dev.reel.events.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTopologyTest {

    private static final String ID = "vid_0123456789A";
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    java.nio.file.Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, Envelope<?>> uploads;
    private TestInputTopic<String, Envelope<?>> transcode;
    private TestInputTopic<String, Envelope<?>> metadata;
    private TestInputTopic<String, Envelope<?>> playback;
    private TestInputTopic<String, byte[]> rawTranscode;
    private TestOutputTopic<String, VideoRecord> catalog;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "catalog-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // The test driver does not emulate transactions (and drops a deserialization handler's dead letter under
        // exactly_once_v2); CatalogClusterIT checks dead-lettering under exactly_once_v2 on a real broker.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        props.put(DeadLetters.SOURCE_CONFIG, "catalog-streams/test");
        driver = new TopologyTestDriver(CatalogTopology.build(), props, T0);
        uploads = eventTopic(Topics.UPLOADS);
        transcode = eventTopic(Topics.TRANSCODE);
        metadata = eventTopic(Topics.METADATA);
        playback = eventTopic(Topics.PLAYBACK);
        rawTranscode = driver.createInputTopic(Topics.TRANSCODE, new StringSerializer(), new ByteArraySerializer());
        catalog = driver.createOutputTopic(Topics.CATALOG, new StringDeserializer(), new VideoRecordDeserializer());
        dlq = driver.createOutputTopic(Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private TestInputTopic<String, Envelope<?>> eventTopic(String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new EventSerializer());
    }

    private static void send(TestInputTopic<String, Envelope<?>> topic, Envelope<?> event) {
        topic.pipeInput(event.subject(), event);
    }

    private static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private List<VideoState> catalogStates() {
        return catalog.readValuesToList().stream().map(VideoRecord::state).toList();
    }

    private VideoRecord lastCatalogValue() {
        return catalog.readValuesToList().getLast();
    }

    @Test
    void everyChangeIsPublishedToTheCatalogTopic() {
        send(uploads, at(t(0), uploaded(ID)));
        send(transcode, at(t(1), started(ID)));
        send(transcode, at(t(2), progress(ID, 50)));
        send(transcode, at(t(3), ready(ID, "240p", 240, 450_000)));
        send(transcode, at(t(4), completed(ID)));

        assertThat(catalogStates()).containsExactly(VideoState.UPLOADED, VideoState.TRANSCODING,
                VideoState.TRANSCODING, VideoState.PLAYABLE, VideoState.READY);
        KeyValueStore<String, CatalogEntry> store = driver.getKeyValueStore(CatalogTopology.VIDEOS_STORE);
        assertThat(store.get(ID).state()).isEqualTo(VideoState.READY);
    }

    @Test
    void duplicatesArePublishedOnce() {
        Envelope<?> upload = at(t(0), uploaded(ID));
        Envelope<?> progress = at(t(1), progress(ID, 10));
        send(uploads, upload);
        send(transcode, progress);
        send(uploads, upload);
        send(transcode, progress);
        List<VideoRecord> published = catalog.readValuesToList();
        assertThat(published).hasSize(2);
        assertThat(published.getLast().version()).isEqualTo(2);
    }

    @Test
    void outOfOrderEventsLandInTheRightState() {
        send(transcode, at(t(3), ready(ID, "240p", 240, 450_000)));
        assertThat(catalog.isEmpty()).as("no record before the upload is known").isTrue();
        send(uploads, at(t(0), uploaded(ID)));
        send(transcode, at(t(1), started(ID)));
        assertThat(lastCatalogValue().state()).isEqualTo(VideoState.PLAYABLE);

        send(transcode, at(t(5), completed(ID)));
        send(transcode, at(t(2), progress(ID, 35)));
        VideoRecord last = lastCatalogValue();
        assertThat(last.state()).isEqualTo(VideoState.READY);
        assertThat(last.progressPercent()).isEqualTo(100);
    }

    @Test
    void metadataEditsArePublished() {
        send(uploads, at(t(0), uploaded(ID)));
        send(metadata, at(t(1), retitled(ID, "Director's cut")));
        VideoRecord last = lastCatalogValue();
        assertThat(last.title()).isEqualTo("Director's cut");
        assertThat(last.owner()).isEqualTo("alice");
    }

    @Test
    void deletionPublishesOneTombstoneAndNothingAfter() {
        send(uploads, at(t(0), uploaded(ID)));
        send(metadata, at(t(1), deleted(ID)));
        send(transcode, at(t(2), progress(ID, 90)));
        List<TestRecord<String, VideoRecord>> records = catalog.readRecordsToList();
        assertThat(records).hasSize(2);
        assertThat(records.get(1).key()).isEqualTo(ID);
        assertThat(records.get(1).value()).isNull();
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndProcessingGoesOn() {
        byte[] notJson = "{\"type\":\"reel.transcode.progress\",\"data\":{not json".getBytes(StandardCharsets.UTF_8);
        rawTranscode.pipeInput(ID, notJson);
        // Valid JSON, but a playback event has no place in the catalog: a processing error.
        send(transcode, at(t(0), play(ID)));
        send(uploads, at(t(1), uploaded(ID)));

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isEqualTo(notJson);
        Map<String, String> headers = headers(dead.get(0));
        assertThat(headers).containsEntry(DeadLetterHeaders.ORIGINAL_TOPIC, Topics.TRANSCODE)
                .containsEntry(DeadLetterHeaders.ORIGINAL_OFFSET, "0")
                .containsEntry(DeadLetterHeaders.SOURCE, "catalog-streams/test")
                .containsKey(DeadLetterHeaders.ERROR_MESSAGE);
        assertThat(headers(dead.get(1))).containsEntry(DeadLetterHeaders.ORIGINAL_OFFSET, "1")
                .containsEntry(DeadLetterHeaders.ERROR_CLASS, IllegalArgumentException.class.getName());
        assertThat(new String(dead.get(1).key(), StandardCharsets.UTF_8)).isEqualTo(ID);
        assertThat(lastCatalogValue().state()).isEqualTo(VideoState.UPLOADED);
    }

    @Test
    void aRecordKeyedByAnotherVideoIsDeadLettered() {
        Envelope<?> upload = at(t(0), uploaded(ID));
        uploads.pipeInput("someone-else", upload);
        assertThat(dlq.readRecordsToList()).hasSize(1);
        assertThat(catalog.isEmpty()).isTrue();
    }

    @Test
    void eachPlaybackStartedIsOneView() {
        for (int i = 0; i < 3; i++) {
            send(playback, at(t(i), play(ID)));
        }
        send(playback, at(t(5), segment(ID)));
        send(playback, at(t(6), play("other")));
        KeyValueStore<String, Long> views = driver.getKeyValueStore(CatalogTopology.VIEWS_STORE);
        assertThat(views.get(ID)).isEqualTo(3L);
        assertThat(views.get("other")).isEqualTo(1L);
    }

    @Test
    void aSessionSentAgainIsStillOneView() {
        PlaybackStarted first = play(ID);
        send(playback, at(t(0), first));
        // the master playlist retried in the same session (an edge died after Kafka took the first event)
        send(playback, at(t(1), new PlaybackStarted(ID, "edge-2", first.sessionId(), "test")));
        send(playback, at(t(2), play(ID)));
        KeyValueStore<String, Long> views = driver.getKeyValueStore(CatalogTopology.VIEWS_STORE);
        assertThat(views.get(ID)).isEqualTo(2L);
    }

    @Test
    void trendingCountsTheCurrentHourAndTakesLateEventsWithinGrace() {
        Instant now = Instant.parse("2026-11-24T10:32:00Z");
        send(playback, at(now.minusSeconds(60), play("a")));
        send(playback, at(now.minusSeconds(50), play("a")));
        send(playback, at(now.minusSeconds(40), play("b")));
        // Two hours ago: outside the last hour's window.
        send(playback, at(now.minus(Duration.ofHours(2)), play("b")));
        // Late by 4 minutes behind stream time, within the 10 minute grace: counted.
        send(playback, at(now.minusSeconds(30), play("c")));
        send(playback, at(now.minusSeconds(30 + 240), play("c")));
        send(playback, at(now.minusSeconds(30 + 241), play("c")));

        assertThat(top(TrendingWindow.ONE_HOUR, now)).containsExactly(
                KeyValue.pair("c", 3L), KeyValue.pair("a", 2L), KeyValue.pair("b", 1L));
        // The day window holds the play of two hours ago too.
        assertThat(top(TrendingWindow.ONE_DAY, now)).containsExactly(
                KeyValue.pair("c", 3L), KeyValue.pair("a", 2L), KeyValue.pair("b", 2L));
    }

    @Test
    void trendingDropsEventsLaterThanTheGracePeriod() {
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        send(playback, at(now, play("a")));
        // 70 minutes behind stream time: every one-hour window holding it closed 10 minutes after it ended.
        Instant late = now.minus(Duration.ofMinutes(70));
        send(playback, at(late, play("late")));
        assertThat(top(TrendingWindow.ONE_HOUR, late)).isEmpty();
        // The current day window is still open for it (it ends an hour after now).
        assertThat(top(TrendingWindow.ONE_DAY, now)).containsExactly(KeyValue.pair("a", 1L), KeyValue.pair("late", 1L));
        // The total still counts it: views are not windowed.
        KeyValueStore<String, Long> views = driver.getKeyValueStore(CatalogTopology.VIEWS_STORE);
        assertThat(views.get("late")).isEqualTo(1L);
    }

    @Test
    void currentWindowEndsWithinOneAdvanceAfterNow() {
        Instant now = Instant.parse("2026-11-24T10:32:00Z");
        assertThat(TrendingWindow.ONE_HOUR.currentWindowStart(now)).isEqualTo(Instant.parse("2026-11-24T09:35:00Z"));
        assertThat(TrendingWindow.ONE_DAY.currentWindowStart(now)).isEqualTo(Instant.parse("2026-11-23T11:00:00Z"));
    }

    /** The window store's counts in the window trending reads at {@code now}, most viewed first. */
    private List<KeyValue<String, Long>> top(TrendingWindow window, Instant now) {
        WindowStore<String, Long> store = driver.getWindowStore(window.storeName());
        Instant start = window.currentWindowStart(now);
        try (var all = store.fetchAll(start, start)) {
            List<KeyValue<String, Long>> counts = new java.util.ArrayList<>();
            all.forEachRemaining(kv -> counts.add(KeyValue.pair(kv.key.key(), kv.value)));
            counts.sort(java.util.Comparator.<KeyValue<String, Long>>comparingLong(kv -> -kv.value).thenComparing(kv -> kv.key));
            return counts;
        }
    }

    private static Map<String, String> headers(TestRecord<byte[], byte[]> record) {
        return java.util.Arrays.stream(record.headers().toArray())
                .collect(Collectors.toMap(Header::key, h -> new String(h.value(), StandardCharsets.UTF_8), (a, b) -> b));
    }
}
