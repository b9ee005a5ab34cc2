package dev.reel.events;

import static dev.reel.events.Checks.listOf;
import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.urlSafeName;
import static dev.reel.events.Checks.validVideoId;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Quality of experience reported by a player; written by an edge to {@code reel.playback}. Every beacon of a session is
 * a snapshot of the whole session so far (counts and times only grow), numbered by {@code sequence}: a consumer keeps
 * the one with the highest number, so a lost, repeated or reordered beacon changes nothing.
 *
 * <p>The fields after {@code rendition} were added for analytics; each is {@code null} (left out of the JSON) in beacons
 * written before they existed.
 *
 * @param videoId           the video
 * @param sessionId         the playback session (the player's, as on {@code playback.started} and CMCD {@code sid})
 * @param startupMillis     time from the play request (the watch page asking for the video) to the first frame, or
 *                          {@code null} while no frame has been shown
 * @param stalls            number of rebuffering stalls after the first frame so far
 * @param stallMillis       total time spent stalled so far, the stall going on included
 * @param rendition         the rendition playing now, or {@code null} if unknown
 * @param sequence          this beacon's number within the session, from 1, rising
 * @param trigger           why it was sent: {@code first-frame}, {@code stall-end}, {@code error}, {@code pause},
 *                          {@code page-hide} or {@code periodic} (consumers ignore values they do not know)
 * @param watchMillis       time spent playing (frames moving) so far, stalls and pauses excluded
 * @param stallEvents       each stall so far, oldest first, at most {@value #MAX_STALL_EVENTS} (the counts above go on)
 * @param fatalError        the player's fatal error (e.g. {@code networkError: fragLoadError}) if playback failed
 * @param exitedBeforeStart the viewer left (closed or hid the page) before the first frame
 * @param renditionSwitches how often the playing rendition changed after the first one
 */
public record PlaybackBeacon(
        String videoId,
        String sessionId,
        Long startupMillis,
        int stalls,
        long stallMillis,
        String rendition,
        Long sequence,
        String trigger,
        Long watchMillis,
        List<Stall> stallEvents,
        String fatalError,
        Boolean exitedBeforeStart,
        Integer renditionSwitches)
        implements
            EventData {

    /** Stalls listed one by one in a beacon; later ones are only counted. */
    public static final int MAX_STALL_EVENTS = 50;
    private static final int MAX_ERROR_LENGTH = 200;
    private static final Pattern TRIGGER = Pattern.compile("[a-z][a-z-]{0,31}");

    /**
     * One stall.
     *
     * @param atMillis       when it began, in milliseconds since the play request
     * @param durationMillis how long it lasted (so far, for one still going on)
     */
    public record Stall(long atMillis, long durationMillis) {
        public Stall {
            nonNegative(atMillis, "atMillis");
            nonNegative(durationMillis, "durationMillis");
        }
    }

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
        if (sequence != null) {
            nonNegative(sequence, "sequence");
        }
        if (trigger != null && !TRIGGER.matcher(trigger).matches()) {
            throw new IllegalArgumentException("trigger must be 1 to 32 of [a-z-], was '" + trigger + "'");
        }
        if (watchMillis != null) {
            nonNegative(watchMillis, "watchMillis");
        }
        stallEvents = stallEvents == null ? List.of() : listOf(stallEvents, "stallEvents");
        if (stallEvents.size() > MAX_STALL_EVENTS) {
            throw new IllegalArgumentException("stallEvents must list at most " + MAX_STALL_EVENTS + " stalls");
        }
        if (fatalError != null && (fatalError.isBlank() || fatalError.length() > MAX_ERROR_LENGTH)) {
            throw new IllegalArgumentException("fatalError must be 1 to " + MAX_ERROR_LENGTH + " characters");
        }
        if (renditionSwitches != null) {
            nonNegative(renditionSwitches, "renditionSwitches");
        }
    }

    /** A beacon of the first form: startup time, stall count and time, rendition. */
    public PlaybackBeacon(String videoId, String sessionId, Long startupMillis, int stalls, long stallMillis,
            String rendition) {
        this(videoId, sessionId, startupMillis, stalls, stallMillis, rendition, null, null, null, null, null, null, null);
    }

    /** Whether the player reported a fatal error. */
    public boolean failed() {
        return fatalError != null;
    }
}
