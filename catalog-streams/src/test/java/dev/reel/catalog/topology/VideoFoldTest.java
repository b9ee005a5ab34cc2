package dev.reel.catalog.topology;

import static dev.reel.catalog.TestEvents.at;
import static dev.reel.catalog.TestEvents.audio;
import static dev.reel.catalog.TestEvents.completed;
import static dev.reel.catalog.TestEvents.deleted;
import static dev.reel.catalog.TestEvents.failed;
import static dev.reel.catalog.TestEvents.growing;
import static dev.reel.catalog.TestEvents.play;
import static dev.reel.catalog.TestEvents.progress;
import static dev.reel.catalog.TestEvents.ready;
import static dev.reel.catalog.TestEvents.retitled;
import static dev.reel.catalog.TestEvents.started;
import static dev.reel.catalog.TestEvents.uploaded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reel.events.CaptionKind;
import dev.reel.events.CaptionTrack;
import dev.reel.events.CaptionsRemoved;
import dev.reel.events.CaptionsSet;
import dev.reel.events.ChunkCompleted;
import dev.reel.events.Envelope;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodePlanned;
import dev.reel.events.VideoMetadataUpdated;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.json.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoFoldTest {

    private static final String ID = "vid_0123456789A";
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private CatalogEntry entry = null;

    private CatalogEntry fold(Envelope<?> event) {
        entry = VideoFold.apply(entry, event).orElseThrow(() -> new AssertionError("event was not applied: " + event));
        return entry;
    }

    private VideoRecord record() {
        return entry.record().orElseThrow();
    }

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void theAudioRenditionAloneDoesNotMakeAVideoPlayable() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), started(ID)));
        fold(at(t(2), audio(ID)));
        assertThat(record().state()).isEqualTo(VideoState.TRANSCODING);
        assertThat(record().transitions()).doesNotContainKey(VideoState.PLAYABLE);
        assertThat(record().renditions()).extracting(Rendition::name).containsExactly("audio");

        fold(at(t(3), ready(ID, "240p", 240, 450_000)));
        assertThat(record().state()).isEqualTo(VideoState.PLAYABLE);
        assertThat(record().transitions()).containsEntry(VideoState.PLAYABLE, t(3));
        assertThat(record().renditions()).extracting(Rendition::name).containsExactly("audio", "240p");
    }

    @Test
    void aPlanAndChunkResultsSayOnlyThatTheTranscodeIsUnderWay() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), new TranscodePlanned(ID, "w1", 1, "plan1", List.of(new TranscodePlanned.PlanRendition("240p",
                RenditionKind.VIDEO, 426, 240, 30, false, false)), List.of(
                        new TranscodePlanned.PlanTask(0, 0, List.of("240p"), 1,
                                2)),
                1, 2, 4, 8, "media/" + ID + "/thumb.jpg")));
        assertThat(record().state()).isEqualTo(VideoState.TRANSCODING);
        fold(at(t(2), new ChunkCompleted(ID, "plan1", 0, "w2", 1, 900, 1700, List.of(new ChunkCompleted.ChunkOutput("240p",
                "avc1.42c015", "ab", List.of(new ChunkCompleted.ChunkSegment(1, 4, 1000)))))));
        assertThat(record().state()).isEqualTo(VideoState.TRANSCODING);
        assertThat(record().renditions()).isEmpty();
        assertThat(record().transitions()).containsEntry(VideoState.TRANSCODING, t(1));
    }

    @Test
    void theStoryboardIsListedOnceTheTranscodeCompletesWithOne() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), started(ID)));
        assertThat(record().storyboardKey()).isNull();
        TranscodeCompleted plain = completed(ID);
        fold(at(t(2), new TranscodeCompleted(ID, plain.worker(), plain.renditions(), plain.posterKey(), plain.elapsedMillis(),
                "media/" + ID + "/storyboard.vtt")));
        assertThat(record().state()).isEqualTo(VideoState.READY);
        assertThat(record().storyboardKey()).isEqualTo("media/" + ID + "/storyboard.vtt");
        fold(at(t(3), retitled(ID, "New title")));
        assertThat(record().storyboardKey()).as("kept through later events").isEqualTo("media/" + ID + "/storyboard.vtt");
    }

    @Test
    void captionTracksAreAddedReplacedAndRemovedWithoutTouchingTheRenditions() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), completed(ID)));
        List<Rendition> ladder = record().renditions();
        CaptionTrack fr = new CaptionTrack("fr", "Français", CaptionKind.SUBTITLES, "media/" + ID + "/captions/fr/a.vtt", 10, 1);
        CaptionTrack en = new CaptionTrack("en", "English", CaptionKind.SUBTITLES, "media/" + ID + "/captions/en/b.vtt", 10, 1);
        CaptionTrack enCc = new CaptionTrack("en", "English (CC)", CaptionKind.CAPTIONS, "media/" + ID + "/captions/en/c.vtt",
                20, 2);

        fold(at(t(2), new CaptionsSet(ID, fr)));
        fold(at(t(3), new CaptionsSet(ID, en)));
        assertThat(record().captions()).containsExactly(en, fr);
        assertThat(record().state()).isEqualTo(VideoState.READY);
        assertThat(record().renditions()).isEqualTo(ladder);

        fold(at(t(4), new CaptionsSet(ID, enCc)));
        assertThat(record().captions()).containsExactly(enCc, fr);

        fold(at(t(5), new CaptionsRemoved(ID, "fr", "user-1")));
        assertThat(record().captions()).containsExactly(enCc);
        assertThat(record().version()).isEqualTo(6);

        fold(at(t(6), new CaptionsRemoved(ID, "de", "user-1"))); // nothing to remove: no harm
        assertThat(record().captions()).containsExactly(enCc);
    }

    @Test
    void walksThroughEveryStateToReady() {
        fold(at(t(0), uploaded(ID)));
        assertThat(record().state()).isEqualTo(VideoState.UPLOADED);
        assertThat(record().title()).isEqualTo("Sunset over the bay");
        assertThat(record().source().sha256()).isEqualTo("ab".repeat(32));

        fold(at(t(1), started(ID)));
        assertThat(record().state()).isEqualTo(VideoState.TRANSCODING);
        fold(at(t(2), progress(ID, 40)));
        assertThat(record().progressPercent()).isEqualTo(40);

        fold(at(t(3), ready(ID, "240p", 240, 450_000)));
        assertThat(record().state()).isEqualTo(VideoState.PLAYABLE);
        assertThat(record().renditions()).extracting(Rendition::name).containsExactly("240p");

        fold(at(t(4), completed(ID)));
        VideoRecord ready = record();
        assertThat(ready.state()).isEqualTo(VideoState.READY);
        assertThat(ready.progressPercent()).isEqualTo(100);
        assertThat(ready.posterKey()).isEqualTo("media/" + ID + "/thumb.jpg");
        assertThat(ready.renditions()).extracting(Rendition::name).containsExactly("240p", "360p", "720p");
        assertThat(ready.transitions()).containsOnlyKeys(VideoState.UPLOADED, VideoState.TRANSCODING,
                VideoState.PLAYABLE, VideoState.READY);
        assertThat(ready.transitions().get(VideoState.TRANSCODING)).isEqualTo(t(1));
        assertThat(ready.transitions().get(VideoState.READY)).isEqualTo(t(4));
        assertThat(ready.version()).isEqualTo(5);
        assertThat(ready.updatedAt()).isEqualTo(t(4));
    }

    @Test
    void failureKeepsItsReason() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), started(ID)));
        fold(at(t(2), failed(ID)));
        assertThat(record().state()).isEqualTo(VideoState.FAILED);
        assertThat(record().failureReason()).isEqualTo("moov atom not found");
        assertThat(record().transitions()).containsKey(VideoState.FAILED);
    }

    @Test
    void anEventAppliedBeforeChangesNothing() {
        Envelope<?> progress = at(t(2), progress(ID, 30));
        fold(at(t(0), uploaded(ID)));
        fold(progress);
        assertThat(VideoFold.apply(entry, progress)).isEmpty();
        assertThat(record().version()).isEqualTo(2);
    }

    @Test
    void remembersABoundedNumberOfEventIds() {
        fold(at(t(0), uploaded(ID)));
        for (int i = 0; i < VideoFold.RECENT_EVENT_IDS + 10; i++) {
            fold(at(t(1), progress(ID, 50)));
        }
        assertThat(entry.recentEventIds()).hasSize(VideoFold.RECENT_EVENT_IDS);
    }

    @Test
    void lateProgressNeverMovesReadyBack() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(5), completed(ID)));
        fold(at(t(2), progress(ID, 60)));
        fold(at(t(1), started(ID)));
        assertThat(record().state()).isEqualTo(VideoState.READY);
        assertThat(record().progressPercent()).isEqualTo(100);
        // The transcode started before it completed, whatever order the events came in.
        assertThat(record().transitions().get(VideoState.TRANSCODING)).isEqualTo(t(1));
    }

    @Test
    void progressOnlyGoesUp() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(2), progress(ID, 70)));
        fold(at(t(1), progress(ID, 20)));
        assertThat(record().progressPercent()).isEqualTo(70);
        assertThat(record().state()).isEqualTo(VideoState.TRANSCODING);
    }

    @Test
    void renditionBeforeTranscodeStartedStillLands() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(3), ready(ID, "360p", 360, 900_000)));
        fold(at(t(1), started(ID)));
        assertThat(record().state()).isEqualTo(VideoState.PLAYABLE);
        assertThat(record().renditions()).extracting(Rendition::name).containsExactly("360p");
    }

    @Test
    void renditionsAreKeptLowestFirstAndOncePerName() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), ready(ID, "720p", 720, 3_000_000)));
        fold(at(t(2), ready(ID, "240p", 240, 450_000)));
        fold(at(t(3), ready(ID, "240p", 240, 450_000)));
        assertThat(record().renditions()).extracting(Rendition::name).containsExactly("240p", "720p");
    }

    @Test
    void aGrowingRenditionMakesTheVideoPlayableAndTheCompletionReady() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), started(ID)));
        fold(at(t(2), growing(ID, "240p", 240, 450_000)));
        assertThat(record().state()).isEqualTo(VideoState.PLAYABLE);
        assertThat(record().renditions()).singleElement().matches(Rendition::growing);
        assertThat(record().transitions().get(VideoState.PLAYABLE)).isEqualTo(t(2));

        fold(at(t(3), ready(ID, "240p", 240, 450_000)));
        assertThat(record().state()).as("complete renditions alone do not make the ladder complete")
                .isEqualTo(VideoState.PLAYABLE);
        assertThat(record().renditions()).singleElement().matches(r -> !r.growing() && r.segmentCount() == 4);

        fold(at(t(4), completed(ID)));
        assertThat(record().state()).isEqualTo(VideoState.READY);
        assertThat(record().renditions()).noneMatch(Rendition::growing);
    }

    @Test
    void aGrowingRenditionNeverReplacesAComplete() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(3), ready(ID, "240p", 240, 450_000)));
        fold(at(t(2), growing(ID, "240p", 240, 450_000))); // delivered late
        fold(at(t(5), completed(ID)));
        fold(at(t(2), growing(ID, "360p", 360, 900_000))); // delivered after the completion
        fold(at(t(6), growing(ID, "720p", 720, 3_000_000))); // a later attempt on another worker, after the completion

        assertThat(record().state()).isEqualTo(VideoState.READY);
        assertThat(record().renditions()).extracting(Rendition::name).containsExactly("240p", "360p", "720p");
        assertThat(record().renditions()).noneMatch(Rendition::growing);
        assertThat(record().transitions().get(VideoState.PLAYABLE)).as("the earliest rendition.ready").isEqualTo(t(2));
    }

    @Test
    void aFailedTranscodeDropsGrowingRenditions() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), ready(ID, "240p", 240, 450_000)));
        fold(at(t(2), growing(ID, "360p", 360, 900_000)));
        fold(at(t(3), failed(ID)));
        fold(at(t(2), growing(ID, "720p", 720, 3_000_000))); // delivered after the failure
        assertThat(record().state()).isEqualTo(VideoState.FAILED);
        assertThat(record().renditions()).extracting(Rendition::name).containsExactly("240p");
    }

    @Test
    void eventsBeforeTheUploadAreKeptUntilItArrives() {
        fold(at(t(3), ready(ID, "240p", 240, 450_000)));
        fold(at(t(4), retitled(ID, "A better title")));
        assertThat(entry.record()).isEmpty();

        fold(at(t(0), uploaded(ID)));
        assertThat(record().state()).isEqualTo(VideoState.PLAYABLE);
        // The edit was made after the upload, so it wins even though it was folded first.
        assertThat(record().title()).isEqualTo("A better title");
        assertThat(record().transitions().get(VideoState.UPLOADED)).isEqualTo(t(0));
    }

    @Test
    void metadataEditsChangeOnlyWhatTheyName() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), retitled(ID, "New title")));
        fold(at(t(2), new VideoMetadataUpdated(ID, null, null, Visibility.UNLISTED)));
        assertThat(record().title()).isEqualTo("New title");
        assertThat(record().visibility()).isEqualTo(Visibility.UNLISTED);
        assertThat(record().description()).isEqualTo("Shot on a phone");

        fold(at(t(3), new VideoMetadataUpdated(ID, null, "", null)));
        assertThat(record().description()).isNull();
        assertThat(record().title()).isEqualTo("New title");
        assertThat(record().downloadsOff()).as("downloads are on until the owner turns them off").isFalse();

        fold(at(t(4), new VideoMetadataUpdated(ID, null, null, null, false)));
        assertThat(record().downloadsOff()).isTrue();
        assertThat(record().visibility()).isEqualTo(Visibility.UNLISTED);
        fold(at(t(5), new VideoMetadataUpdated(ID, "Renamed", null, null)));
        assertThat(record().downloadsOff()).as("an edit that does not name downloads keeps them off").isTrue();
        fold(at(t(6), new VideoMetadataUpdated(ID, null, null, null, true)));
        assertThat(record().downloadsOff()).isFalse();
    }

    @Test
    void deletionLeavesNoRecordAndStaysDeleted() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), deleted(ID)));
        assertThat(entry.state()).isEqualTo(VideoState.DELETED);
        assertThat(entry.record()).isEmpty();
        fold(at(t(2), completed(ID)));
        assertThat(entry.state()).isEqualTo(VideoState.DELETED);
        assertThat(entry.record()).isEmpty();
    }

    @Test
    void refusesEventsThatDoNotBelongToTheCatalog() {
        assertThatThrownBy(() -> VideoFold.apply(null, at(t(0), play(ID))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reel.playback.started");
    }

    @Test
    void storeValueSurvivesItsSerde() {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), ready(ID, "240p", 240, 450_000)));
        fold(at(t(2), retitled(ID, "Edited")));
        CatalogEntrySerde serde = new CatalogEntrySerde();
        CatalogEntry copy = serde.deserializer().deserialize("t", serde.serializer().serialize("t", entry));
        assertThat(copy).isEqualTo(entry);
        assertThat(copy.renditions()).isEqualTo(List.copyOf(entry.renditions()));
    }

    @Test
    void aStoreValueWrittenBeforeCaptionsExistedHasNone() throws Exception {
        fold(at(t(0), uploaded(ID)));
        fold(at(t(1), new CaptionsSet(ID, new CaptionTrack("en", "English", CaptionKind.SUBTITLES, "k", 10, 1))));
        CatalogEntrySerde serde = new CatalogEntrySerde();
        ObjectNode json = (ObjectNode) EventJson.mapper()
                .readTree(serde.serializer().serialize("t", entry));
        assertThat(json.remove("captions")).isNotNull();

        CatalogEntry old = serde.deserializer().deserialize("t",
                json.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(old.captions()).isEmpty();
        assertThat(old.record().orElseThrow().captions()).isEmpty();
    }
}
