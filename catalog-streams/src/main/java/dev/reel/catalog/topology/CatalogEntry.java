package dev.reel.catalog.topology;

import dev.reel.events.CaptionTrack;
import dev.reel.events.Rendition;
import dev.reel.events.SourceFacts;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.VideoUploaded;
import dev.reel.events.Visibility;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the catalog store holds per video: the facts folded so far, from which the published {@link VideoRecord}
 * is derived, plus the ids of the most recent events applied (for idempotence). Kept apart from
 * {@link VideoRecord} because events of one video arrive on three topics in no guaranteed order: a
 * {@code rendition.ready} may be folded before the {@code video.uploaded} that gives the video its title, and a
 * record cannot exist without one.
 *
 * @param videoId           the video
 * @param upload            the upload event, or {@code null} until it has been folded
 * @param editedTitle       the latest title edit, or {@code null} if never edited
 * @param editedDescription the latest description edit ({@code ""} = cleared), or {@code null} if never edited
 * @param editedVisibility  the latest visibility edit, or {@code null} if never edited
 * @param editedDownloads   the latest downloads edit, or {@code null} if never edited (downloads on)
 * @param transcodeStarted  a transcode attempt has been seen
 * @param progressPercent   highest progress reported, 100 once complete
 * @param renditions        renditions ready to play, lowest bandwidth first, one per name
 * @param captions          text tracks, one per language, in language order (absent in entries stored before captions
 *                          existed: none)
 * @param posterKey         the poster's object key, or {@code null}
 * @param storyboardKey     the storyboard's WebVTT key, or {@code null} (none yet; absent in entries stored before
 *                          storyboards existed)
 * @param completed         the whole ladder is ready
 * @param failureReason     why transcoding gave up, or {@code null}
 * @param deleted           the owner deleted the video
 * @param transitions       the earliest event time of each state the video has entered
 * @param updatedAt         latest event time applied, or {@code null} before the first event
 * @param version           events applied
 * @param recentEventIds    ids of the last {@link VideoFold#RECENT_EVENT_IDS} events applied, oldest first
 */
public record CatalogEntry(
        String videoId,
        VideoUploaded upload,
        String editedTitle,
        String editedDescription,
        Visibility editedVisibility,
        Boolean editedDownloads,
        boolean transcodeStarted,
        double progressPercent,
        List<Rendition> renditions,
        List<CaptionTrack> captions,
        String posterKey,
        String storyboardKey,
        boolean completed,
        String failureReason,
        boolean deleted,
        Map<VideoState, Instant> transitions,
        Instant updatedAt,
        long version,
        List<String> recentEventIds) {

    public CatalogEntry {
        Objects.requireNonNull(videoId, "videoId");
        renditions = List.copyOf(renditions);
        captions = captions == null ? List.of() : List.copyOf(captions);
        transitions = Collections.unmodifiableMap(transitions.isEmpty()
                ? new EnumMap<>(VideoState.class)
                : new EnumMap<>(transitions));
        recentEventIds = List.copyOf(recentEventIds);
    }

    /** A video no event has been folded into yet. */
    public static CatalogEntry empty(String videoId) {
        return new CatalogEntry(videoId, null, null, null, null, null, false, 0, List.of(), List.of(), null, null, false, null,
                false,
                Map.of(), null, 0, List.of());
    }

    /**
     * The state derived from the facts. Precedence makes it order-tolerant: a late progress event cannot move a
     * READY video back, and a rendition folded before its transcode started still makes the video PLAYABLE.
     */
    public VideoState state() {
        if (deleted) {
            return VideoState.DELETED;
        }
        if (completed) {
            return VideoState.READY;
        }
        if (failureReason != null) {
            return VideoState.FAILED;
        }
        if (renditions.stream().anyMatch(Rendition::hasVideo)) {
            return VideoState.PLAYABLE;
        }
        if (transcodeStarted || progressPercent > 0) {
            return VideoState.TRANSCODING;
        }
        return VideoState.UPLOADED;
    }

    /** The record to publish: empty before the upload is folded and after a deletion (a tombstone). */
    public Optional<VideoRecord> record() {
        if (upload == null || deleted) {
            return Optional.empty();
        }
        String description = editedDescription == null
                ? upload.description()
                : editedDescription.isEmpty() ? null : editedDescription;
        return Optional.of(new VideoRecord(videoId,
                editedTitle == null ? upload.title() : editedTitle,
                description,
                editedVisibility == null ? upload.visibility() : editedVisibility,
                upload.owner(),
                SourceFacts.from(upload),
                state(),
                progressPercent,
                failureReason,
                renditions,
                posterKey,
                Boolean.FALSE.equals(editedDownloads),
                captions,
                storyboardKey,
                transitions,
                updatedAt,
                version));
    }
}
