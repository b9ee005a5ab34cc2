package dev.reel.events;

import static dev.reel.events.Samples.R240;
import static dev.reel.events.Samples.R360;
import static dev.reel.events.Samples.SHA256;
import static dev.reel.events.Samples.VIDEO_ID;
import static dev.reel.events.Samples.growing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventDataValidationTest {

    static Stream<Arguments> invalidEvents() {
        return Stream.of(
                invalid("videoId must not be blank", () -> new VideoDeleted(" ", "user-42")),
                invalid("videoId must be 1 to 128 characters of [A-Za-z0-9_-]", () -> new VideoDeleted("../etc", "user-42")),
                invalid("requestedBy must not be blank", () -> new VideoDeleted(VIDEO_ID, null)),
                invalid("sizeBytes must not be negative", () -> uploaded(-1, SHA256, 1920)),
                invalid("sha256 must be 64 lower-case hex digits", () -> uploaded(1, SHA256.toUpperCase(), 1920)),
                invalid("width must be positive", () -> uploaded(1, SHA256, 0)),
                invalid("at least one of title, description, visibility",
                        () -> new VideoMetadataUpdated(VIDEO_ID, null, null, null)),
                invalid("title must not be blank", () -> new VideoMetadataUpdated(VIDEO_ID, "", null, null)),
                invalid("attempt must be positive", () -> new TranscodeStarted(VIDEO_ID, "w", 0, List.of("240p"))),
                invalid("renditions must not be empty", () -> new TranscodeStarted(VIDEO_ID, "w", 1, List.of())),
                invalid("renditions must not contain null",
                        () -> new TranscodeStarted(VIDEO_ID, "w", 1, Arrays.asList("240p", null))),
                invalid("rendition name must be 1 to 128", () -> new TranscodeStarted(VIDEO_ID, "w", 1, List.of("240p/../x"))),
                invalid("percent must be between 0 and 100", () -> new TranscodeProgress(VIDEO_ID, "w", 100.5, 1)),
                invalid("percent must be between 0 and 100", () -> new TranscodeProgress(VIDEO_ID, "w", Double.NaN, 1)),
                invalid("speed must be a non-negative finite number", () -> new TranscodeProgress(VIDEO_ID, "w", 5, -1)),
                invalid("rendition must not be null", () -> new RenditionReady(VIDEO_ID, null)),
                invalid("must not exceed the peak bandwidth",
                        () -> new Rendition("240p", 426, 240, 100, 200, "avc1.42c015", 30, "k", 1, 1, false)),
                invalid("frameRate must be a positive finite number",
                        () -> new Rendition("240p", 426, 240, 200, 100, "avc1.42c015", 0, "k", 1, 1, false)),
                invalid("width must be positive", () -> new Rendition("240p", 0, 240, 200, 100, "avc1.42c015", 30, "k", 1, 1,
                        false, RenditionKind.VIDEO, false)),
                invalid("an audio rendition has no width, height or frame rate", () -> new Rendition("audio", 0, 0, 200, 100,
                        "mp4a.40.2", 30, "k", 1, 1, false, RenditionKind.AUDIO, false)),
                invalid("renditions must be ordered lowest bandwidth first",
                        () -> new TranscodeCompleted(VIDEO_ID, "w", List.of(R360, R240), "p", 1)),
                invalid("must be complete, not growing",
                        () -> new TranscodeCompleted(VIDEO_ID, "w", List.of(growing(R240)), "p", 1)),
                invalid("posterKey must not be blank", () -> new TranscodeCompleted(VIDEO_ID, "w", List.of(R240), "", 1)),
                invalid("attempts must be positive", () -> new TranscodeFailed(VIDEO_ID, "w", 0, "boom")),
                invalid("reason must not be blank", () -> new TranscodeFailed(VIDEO_ID, "w", 1, "\n")),
                invalid("sessionId must not be blank", () -> new PlaybackStarted(VIDEO_ID, "edge", "", null)),
                invalid("bytes must not be negative",
                        () -> new SegmentServed(VIDEO_ID, "edge", "360p", "seg-1.m4s", -5, false, 1)),
                invalid("startupMillis must not be negative", () -> new PlaybackBeacon(VIDEO_ID, "s", -1L, 0, 0, null)),
                invalid("stalls must not be negative", () -> new PlaybackBeacon(VIDEO_ID, "s", null, -1, 0, null)),
                invalid("objectType must be one of", () -> new SegmentServed(VIDEO_ID, "edge", "360p", "seg-1.m4s", 5, false,
                        1, "s", null, null, null, "video", null)),
                invalid("bufferMillis must not be negative", () -> new SegmentServed(VIDEO_ID, "edge", "360p", "seg-1.m4s", 5,
                        false, 1, "s", -1L, null, null, null, null)),
                invalid("sessionId must have at most 64", () -> new SegmentServed(VIDEO_ID, "edge", "360p", "seg-1.m4s", 5,
                        false, 1, "s".repeat(65), null, null, null, null, null)),
                invalid("trigger must be 1 to 32", () -> beacon("Page Hide", List.of(), null)),
                invalid("stallEvents must list at most 50", () -> beacon("periodic",
                        java.util.Collections.nCopies(51, new PlaybackBeacon.Stall(1, 1)), null)),
                invalid("durationMillis must not be negative", () -> new PlaybackBeacon.Stall(1, -1)),
                invalid("fatalError must be 1 to 200", () -> beacon("error", List.of(), "x".repeat(201))),
                invalid("language must be a well-formed BCP 47 tag", () -> track("english", "English")),
                invalid("language must be canonical (pt-BR)", () -> track("pt-br", "Português")),
                invalid("label must not contain control characters or double quotes", () -> track("en", "say \"hi\"")),
                invalid("label must not be blank", () -> track("en", " ")),
                invalid("track must not be null", () -> new CaptionsSet(VIDEO_ID, null)),
                invalid("language must be a canonical BCP 47 tag", () -> new CaptionsRemoved(VIDEO_ID, "EN", "user-42")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void rejectsInvalidFieldsWithAClearMessage(String message, Executable construction) {
        assertThatThrownBy(construction::execute).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void listsAreCopiedAndImmutable() {
        List<String> planned = new ArrayList<>(List.of("240p"));
        TranscodeStarted started = new TranscodeStarted(VIDEO_ID, "w", 1, planned);
        planned.add("360p");

        assertThat(started.renditions()).containsExactly("240p");
        assertThatThrownBy(() -> started.renditions().add("720p")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void optionalFieldsMayBeAbsent() {
        assertThat(new PlaybackBeacon(VIDEO_ID, "s", null, 0, 0, null).startupMillis()).isNull();
        assertThat(new PlaybackStarted(VIDEO_ID, "edge", "s", null).userAgent()).isNull();
        assertThat(new VideoMetadataUpdated(VIDEO_ID, null, "", null).description()).isEmpty();
        assertThat(new VideoUploaded(VIDEO_ID, "t", null, "o", Visibility.PRIVATE, null, 0, SHA256, 1, 2, 2, "vp9", null, "k")
                .audioCodec()).isNull();
    }

    @Test
    void aBeaconOfTheFirstFormHasNoAnalyticsFields() {
        PlaybackBeacon old = new PlaybackBeacon(VIDEO_ID, "s", 640L, 1, 1_200L, "360p");
        assertThat(old.sequence()).isNull();
        assertThat(old.stallEvents()).isEmpty();
        assertThat(old.failed()).isFalse();
        assertThat(beacon("error", List.of(), "networkError: fragLoadError").failed()).isTrue();
        assertThat(new SegmentServed(VIDEO_ID, "edge", "360p", "seg-1.m4s", 5, false, 1).sessionId()).isNull();
    }

    private static PlaybackBeacon beacon(String trigger, List<PlaybackBeacon.Stall> stalls, String error) {
        return new PlaybackBeacon(VIDEO_ID, "s", 500L, stalls.size(), 0, "240p", 1L, trigger, 0L, stalls, error, false, 0);
    }

    private static CaptionTrack track(String language, String label) {
        return new CaptionTrack(language, label, CaptionKind.SUBTITLES, "k", 10, 1);
    }

    private static VideoUploaded uploaded(long sizeBytes, String sha256, int width) {
        return new VideoUploaded(VIDEO_ID, "t", null, "o", Visibility.PUBLIC, null, sizeBytes, sha256, 1.5, width, 720,
                "h264", null, "originals/" + VIDEO_ID + "/source");
    }

    private static Arguments invalid(String message, Executable construction) {
        return Arguments.of(message, construction);
    }
}
