package dev.reel.events;

import static dev.reel.events.Checks.listOf;
import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonNull;
import static dev.reel.events.Checks.nullOrNonBlank;
import static dev.reel.events.Checks.percentage;
import static dev.reel.events.Checks.positive;
import static dev.reel.events.Checks.validVideoId;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The current state of one video: the value of the compacted topic {@code reel.catalog}, keyed by
 * {@code videoId}, folded by catalog-streams from the events of that video. Not an {@link Envelope}; a deleted
 * video is a tombstone (a {@code null} value).
 *
 * @param videoId         the video
 * @param title           current title
 * @param description     current description, or {@code null}
 * @param visibility      current visibility
 * @param owner           the creator's id
 * @param source          facts about the original
 * @param state           current state
 * @param progressPercent transcode progress, 0 to 100
 * @param failureReason   why transcoding failed, or {@code null}
 * @param renditions      the renditions ready to play, lowest bandwidth first
 * @param posterKey       object key of the poster, or {@code null} until there is one
 * @param downloadsOff    the owner turned downloads off (absent in JSON written before the field existed: false)
 * @param captions        the text tracks, one per language, in language order (absent in JSON written before the field
 *                        existed: none)
 * @param storyboardKey   object key of the storyboard's WebVTT file (its sprite beside it), or {@code null} when there is
 *                        none (yet, or for a video transcoded before storyboards existed)
 * @param transitions     when the video entered each state it has been in (JSON keys are state names)
 * @param updatedAt       time of the last event applied
 * @param version         number of events applied, so a reader can tell the newer of two records
 */
public record VideoRecord(
        String videoId,
        String title,
        String description,
        Visibility visibility,
        String owner,
        SourceFacts source,
        VideoState state,
        double progressPercent,
        String failureReason,
        List<Rendition> renditions,
        String posterKey,
        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean downloadsOff,
        @JsonSetter(nulls = Nulls.AS_EMPTY) List<CaptionTrack> captions,
        String storyboardKey,
        Map<VideoState, Instant> transitions,
        Instant updatedAt,
        long version) {

    public VideoRecord {
        validVideoId(videoId);
        nonBlank(title, "title");
        nonNull(visibility, "visibility");
        nonBlank(owner, "owner");
        nonNull(source, "source");
        nonNull(state, "state");
        percentage(progressPercent, "progressPercent");
        renditions = listOf(renditions, "renditions");
        nullOrNonBlank(posterKey, "posterKey");
        captions = captions == null
                ? List.of()
                : captions.stream().sorted(Comparator.comparing(CaptionTrack::language)).toList();
        nullOrNonBlank(storyboardKey, "storyboardKey");
        transitions = inStateOrder(transitions);
        nonNull(updatedAt, "updatedAt");
        positive(version, "version");
    }

    /** A record of a video whose downloads are on (as every record written before the field existed). */
    public VideoRecord(String videoId, String title, String description, Visibility visibility, String owner,
            SourceFacts source, VideoState state, double progressPercent, String failureReason, List<Rendition> renditions,
            String posterKey, Map<VideoState, Instant> transitions, Instant updatedAt, long version) {
        this(videoId, title, description, visibility, owner, source, state, progressPercent, failureReason, renditions,
                posterKey, false, List.of(), null, transitions, updatedAt, version);
    }

    /** A record without text tracks. */
    public VideoRecord(String videoId, String title, String description, Visibility visibility, String owner,
            SourceFacts source, VideoState state, double progressPercent, String failureReason, List<Rendition> renditions,
            String posterKey, boolean downloadsOff, Map<VideoState, Instant> transitions, Instant updatedAt, long version) {
        this(videoId, title, description, visibility, owner, source, state, progressPercent, failureReason, renditions,
                posterKey, downloadsOff, List.of(), null, transitions, updatedAt, version);
    }

    /** A record without a storyboard. */
    public VideoRecord(String videoId, String title, String description, Visibility visibility, String owner,
            SourceFacts source, VideoState state, double progressPercent, String failureReason, List<Rendition> renditions,
            String posterKey, boolean downloadsOff, List<CaptionTrack> captions, Map<VideoState, Instant> transitions,
            Instant updatedAt, long version) {
        this(videoId, title, description, visibility, owner, source, state, progressPercent, failureReason, renditions,
                posterKey, downloadsOff, captions, null, transitions, updatedAt, version);
    }

    /** The track of a language, if the video has one. */
    public Optional<CaptionTrack> caption(String language) {
        return captions.stream().filter(track -> track.language().equals(language)).findFirst();
    }

    // An EnumMap keeps the JSON in life-cycle order, which reads better than hash order.
    private static Map<VideoState, Instant> inStateOrder(Map<VideoState, Instant> transitions) {
        nonNull(transitions, "transitions");
        Map<VideoState, Instant> ordered = new EnumMap<>(VideoState.class);
        transitions.forEach((state, time) -> ordered.put(nonNull(state, "transition state"), nonNull(time, "transition time")));
        return Collections.unmodifiableMap(ordered);
    }
}
