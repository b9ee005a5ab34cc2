package dev.reel.analytics.it;

import static dev.reel.analytics.PlaybackEvents.beacon;
import static dev.reel.analytics.PlaybackEvents.segment;
import static dev.reel.analytics.PlaybackEvents.started;

import dev.reel.events.EventData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Playback sessions as players and edges produce them, seeded: each session's events in the order they happen (a
 * master playlist, sometimes retried; CMCD-tagged segments; beacons, sometimes repeated), some sessions failing and
 * some left before the first frame.
 */
final class Workload {

    private Workload() {
    }

    /** The events of session {@code n} of {@code videoId}. */
    static List<EventData> session(String videoId, int n, Random random) {
        String session = "s" + n + "-" + Long.toHexString(random.nextLong() & 0xffffffffL);
        String edge = "edge-" + (1 + random.nextInt(2));
        List<EventData> events = new ArrayList<>();
        events.add(started(videoId, session, edge));
        if (random.nextInt(10) == 0) {
            events.add(started(videoId, session, "edge-2")); // retried master playlist
        }
        int kind = random.nextInt(20);
        if (kind == 0) { // left before the first frame
            events.add(beacon(videoId, session, 1, null, 0, 0, 0, null, null, true));
            return events;
        }
        if (kind == 1) { // a segment answered 404: fatal error
            events.add(beacon(videoId, session, 1, null, 0, 0, 0, null, "networkError: fragLoadError", false));
            return events;
        }
        long startup = 300 + random.nextInt(2_000);
        int segments = 2 + random.nextInt(5);
        for (int s = 0; s < segments; s++) {
            events.add(segment(videoId, session, edge, s == 0 ? "240p" : "360p", random.nextBoolean(),
                    100_000 + random.nextInt(900_000), 200 + random.nextInt(20_000), s == 0 ? 440 : 880));
        }
        int stalls = random.nextInt(3);
        long stallMillis = stalls * (100L + random.nextInt(900));
        long watch = 2_000 + random.nextInt(20_000);
        events.add(beacon(videoId, session, 1, startup, 0, 0, 0, "240p", null, false));
        events.add(beacon(videoId, session, 2, startup, stalls, stallMillis, watch, "360p", null, false));
        if (random.nextBoolean()) {
            events.add(beacon(videoId, session, 2, startup, stalls, stallMillis, watch, "360p", null, false)); // repeated
        }
        return events;
    }
}
