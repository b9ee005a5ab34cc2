package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.validVideoId;

/**
 * A video was deleted; written by ingest to {@code reel.metadata}.
 *
 * @param videoId     the video
 * @param requestedBy who asked for the deletion
 */
public record VideoDeleted(String videoId, String requestedBy) implements EventData {

    public VideoDeleted {
        validVideoId(videoId);
        nonBlank(requestedBy, "requestedBy");
    }
}
