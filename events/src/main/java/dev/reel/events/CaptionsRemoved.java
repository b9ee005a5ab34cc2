package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.validVideoId;

/**
 * The owner removed the text track of one language; written by ingest to {@code reel.metadata}.
 *
 * @param videoId     the video
 * @param language    the track's language, canonical BCP 47 ({@link CaptionTrack#canonicalLanguage})
 * @param requestedBy who removed it
 */
public record CaptionsRemoved(String videoId, String language, String requestedBy) implements EventData {

    public CaptionsRemoved {
        validVideoId(videoId);
        if (!language.equals(CaptionTrack.canonicalLanguage(language).orElse(null))) {
            throw new IllegalArgumentException("language must be a canonical BCP 47 tag, was " + language);
        }
        nonBlank(requestedBy, "requestedBy");
    }
}
