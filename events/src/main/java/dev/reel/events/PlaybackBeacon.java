package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.urlSafeName;
import static dev.reel.events.Checks.validVideoId;

/**
 * Quality of experience reported by a player; written by an edge to {@code reel.playback}.
 *
 * @param videoId       the video
 * @param sessionId     the playback session
 * @param startupMillis time from play to first frame, or {@code null} if playback has not started yet
 * @param stalls        number of rebuffering stalls so far
 * @param stallMillis   total time spent stalled so far
 * @param rendition     the rendition playing now, or {@code null} if unknown
 */
public record PlaybackBeacon(
        String videoId, String sessionId, Long startupMillis, int stalls, long stallMillis, String rendition)
        implements
            EventData {

    public PlaybackBeacon {
        validVideoId(videoId);
        nonBlank(sessionId, "sessionId");
        if (startupMillis != null) {
            nonNegative(startupMillis, "startupMillis");
        }
        nonNegative(stalls, "stalls");
        nonNegative(stallMillis, "stallMillis");
        if (rendition != null) {
            urlSafeName(rendition, "rendition");
        }
    }
}
