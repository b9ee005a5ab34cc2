package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.validVideoId;

/**
 * A viewer's player fetched the master playlist; written by an edge to {@code reel.playback}.
 *
 * @param videoId   the video
 * @param edge      the edge instance
 * @param sessionId the playback session, shared by the session's later events
 * @param userAgent the player's {@code User-Agent}, or {@code null} if it sent none
 */
public record PlaybackStarted(String videoId, String edge, String sessionId, String userAgent) implements EventData {

    public PlaybackStarted {
        validVideoId(videoId);
        nonBlank(edge, "edge");
        nonBlank(sessionId, "sessionId");
    }
}
