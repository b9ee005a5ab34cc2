package dev.reel.events;

import static dev.reel.events.Checks.nonNull;
import static dev.reel.events.Checks.validVideoId;

/**
 * The owner added or replaced the text track of one language; written by ingest to {@code reel.metadata} once the WebVTT
 * file is stored. A later event for the same language replaces the track.
 *
 * @param videoId the video
 * @param track   the track
 */
public record CaptionsSet(String videoId, CaptionTrack track) implements EventData {

    public CaptionsSet {
        validVideoId(videoId);
        nonNull(track, "track");
    }
}
