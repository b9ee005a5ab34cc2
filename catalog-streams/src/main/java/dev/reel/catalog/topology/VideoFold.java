package dev.reel.catalog.topology;

import dev.reel.events.CaptionTrack;
import dev.reel.events.CaptionsRemoved;
import dev.reel.events.CaptionsSet;
import dev.reel.events.ChunkCompleted;
import dev.reel.events.ChunkRequested;
import dev.reel.events.Envelope;
import dev.reel.events.PlaybackBeacon;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionReady;
import dev.reel.events.SegmentServed;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeFailed;
import dev.reel.events.TranscodePlanned;
import dev.reel.events.TranscodeProgress;
import dev.reel.events.TranscodeStarted;
import dev.reel.events.VideoDeleted;
import dev.reel.events.VideoMetadataUpdated;
import dev.reel.events.VideoState;
import dev.reel.events.VideoUploaded;
import dev.reel.events.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Folds one event of a video into its {@link CatalogEntry}: a pure function, so every rule of the state machine
 * is tested without Kafka.
 *
 * <ul>
 *   <li>Idempotent: an event whose id is among the last {@value #RECENT_EVENT_IDS} applied changes nothing.
 *       Beyond that window the facts themselves are idempotent (progress is a maximum, renditions are keyed by
 *       name and a complete one is never replaced by a growing one, completion and failure are flags); only a very old metadata edit redelivered after newer ones
 *       could win again.</li>
 *   <li>Order-tolerant: the state is derived from facts with a fixed precedence ({@link CatalogEntry#state()}),
 *       and each transition keeps the earliest event time seen for it.</li>
 * </ul>
 */
public final class VideoFold {

    /** How many recent event ids each video remembers; a store value grows by about 40 bytes per id. */
    public static final int RECENT_EVENT_IDS = 128;

    private static final Comparator<Rendition> LOWEST_FIRST = Comparator.comparingLong(Rendition::bandwidth)
            .thenComparing(Rendition::name);

    private VideoFold() {
    }

    /**
     * @param current the entry so far, or {@code null} for a video not seen yet
     * @param event   an event of {@code reel.uploads}, {@code reel.transcode} or {@code reel.metadata}
     * @return the new entry, or empty when the event was already applied
     * @throws IllegalArgumentException for an event that does not belong to the catalog (e.g. a playback event)
     */
    public static Optional<CatalogEntry> apply(CatalogEntry current, Envelope<?> event) {
        CatalogEntry entry = current == null ? CatalogEntry.empty(event.subject()) : current;
        if (!entry.videoId().equals(event.subject())) {
            throw new IllegalArgumentException("event " + event.id() + " is about " + event.subject()
                    + ", not " + entry.videoId());
        }
        if (entry.recentEventIds().contains(event.id())) {
            return Optional.empty();
        }
        Draft draft = new Draft(entry);
        Instant time = event.time();
        switch (event.data()) {
            case VideoUploaded uploaded -> {
                draft.upload = uploaded;
                draft.entered(VideoState.UPLOADED, time);
            }
            case VideoMetadataUpdated edit -> {
                if (edit.title() != null) {
                    draft.editedTitle = edit.title();
                }
                if (edit.description() != null) {
                    draft.editedDescription = edit.description();
                }
                if (edit.visibility() != null) {
                    draft.editedVisibility = edit.visibility();
                }
                if (edit.downloads() != null) {
                    draft.editedDownloads = edit.downloads();
                }
            }
            case CaptionsSet set -> draft.captions.put(set.track().language(), set.track());
            case CaptionsRemoved removed -> draft.captions.remove(removed.language());
            case VideoDeleted ignored -> {
                draft.deleted = true;
                draft.entered(VideoState.DELETED, time);
            }
            case TranscodeStarted ignored -> {
                draft.transcodeStarted = true;
                draft.entered(VideoState.TRANSCODING, time);
            }
            case TranscodePlanned ignored -> {
                // the plan is the transcoder's business; for the catalog it says the transcode is under way
                draft.transcodeStarted = true;
                draft.entered(VideoState.TRANSCODING, time);
            }
            case ChunkCompleted ignored -> draft.entered(VideoState.TRANSCODING, time); // progress comes as its own event
            case TranscodeProgress progress -> {
                draft.progressPercent = Math.max(draft.progressPercent, progress.percent());
                draft.entered(VideoState.TRANSCODING, time);
            }
            case RenditionReady ready -> {
                draft.addRenditions(List.of(ready.rendition()));
                if (ready.rendition().hasVideo()) {
                    // the audio rendition alone plays nothing: transcoders announce it before the first video one
                    draft.entered(VideoState.PLAYABLE, time);
                }
            }
            case TranscodeCompleted completed -> {
                draft.addRenditions(completed.renditions());
                draft.posterKey = completed.posterKey();
                draft.storyboardKey = completed.storyboardKey();
                draft.completed = true;
                draft.progressPercent = 100;
                draft.entered(VideoState.READY, time);
            }
            case TranscodeFailed failed -> {
                draft.failed(failed.reason());
                draft.entered(VideoState.FAILED, time);
            }
            // Named, not defaulted: a new event type must be decided on here before this compiles.
            case PlaybackStarted ignored -> throw notTheCatalogs(event);
            case SegmentServed ignored -> throw notTheCatalogs(event);
            case PlaybackBeacon ignored -> throw notTheCatalogs(event);
            case ChunkRequested ignored -> throw notTheCatalogs(event);
        }
        draft.applied(event.id(), time);
        return Optional.of(draft.toEntry());
    }

    private static IllegalArgumentException notTheCatalogs(Envelope<?> event) {
        return new IllegalArgumentException("event type " + event.type() + " does not belong to the catalog's topics");
    }

    /** A mutable copy of an entry while one event is folded into it. */
    private static final class Draft {
        private final String videoId;
        private VideoUploaded upload;
        private String editedTitle;
        private String editedDescription;
        private Visibility editedVisibility;
        private Boolean editedDownloads;
        private boolean transcodeStarted;
        private double progressPercent;
        private final Map<String, Rendition> renditions = new LinkedHashMap<>();
        private final Map<String, CaptionTrack> captions = new TreeMap<>();
        private String posterKey;
        private String storyboardKey;
        private boolean completed;
        private String failureReason;
        private boolean deleted;
        private final Map<VideoState, Instant> transitions = new EnumMap<>(VideoState.class);
        private Instant updatedAt;
        private long version;
        private final List<String> recentEventIds;

        Draft(CatalogEntry entry) {
            videoId = entry.videoId();
            upload = entry.upload();
            editedTitle = entry.editedTitle();
            editedDescription = entry.editedDescription();
            editedVisibility = entry.editedVisibility();
            editedDownloads = entry.editedDownloads();
            transcodeStarted = entry.transcodeStarted();
            progressPercent = entry.progressPercent();
            entry.renditions().forEach(r -> renditions.put(r.name(), r));
            entry.captions().forEach(track -> captions.put(track.language(), track));
            posterKey = entry.posterKey();
            storyboardKey = entry.storyboardKey();
            completed = entry.completed();
            failureReason = entry.failureReason();
            deleted = entry.deleted();
            transitions.putAll(entry.transitions());
            updatedAt = entry.updatedAt();
            version = entry.version();
            recentEventIds = new ArrayList<>(entry.recentEventIds());
        }

        /**
         * The latest description of a rendition wins (e.g. the completion's over an earlier rendition.ready), except
         * that a growing one never replaces a complete one, whatever order they arrive in, and is not taken once the
         * transcode failed: its playlist would never end.
         */
        void addRenditions(List<Rendition> ready) {
            for (Rendition r : ready) {
                Rendition known = renditions.get(r.name());
                boolean stale = r.growing() && (failureReason != null || (known != null && !known.growing()));
                if (!stale) {
                    renditions.put(r.name(), r);
                }
            }
        }

        /** A failed transcode keeps what was complete; a growing rendition would wait for segments that never come. */
        void failed(String reason) {
            failureReason = reason;
            renditions.values().removeIf(Rendition::growing);
        }

        /** Keeps the earliest time per state, whatever order the events came in. */
        void entered(VideoState state, Instant time) {
            transitions.merge(state, time, (a, b) -> a.isBefore(b) ? a : b);
        }

        void applied(String eventId, Instant time) {
            version++;
            updatedAt = updatedAt == null || time.isAfter(updatedAt) ? time : updatedAt;
            recentEventIds.add(eventId);
            if (recentEventIds.size() > RECENT_EVENT_IDS) {
                recentEventIds.subList(0, recentEventIds.size() - RECENT_EVENT_IDS).clear();
            }
        }

        CatalogEntry toEntry() {
            List<Rendition> sorted = renditions.values().stream().sorted(LOWEST_FIRST).toList();
            return new CatalogEntry(videoId, upload, editedTitle, editedDescription, editedVisibility, editedDownloads,
                    transcodeStarted, progressPercent, sorted, List.copyOf(captions.values()), posterKey, storyboardKey,
                    completed,
                    failureReason, deleted, transitions, updatedAt, version, recentEventIds);
        }
    }
}
