package dev.reel.analytics.it;

import dev.reel.events.Envelope;
import dev.reel.events.PlaybackBeacon;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.SegmentServed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures recounted from the events themselves, independently of the topology: plays are distinct sessions with a
 * {@code playback.started}, a session's stall and watch time are those of its beacon with the highest sequence.
 */
final class Recount {

    long plays;
    long requests;
    long cacheHits;
    long bytes;
    long stalls;
    long stallMillis;
    long watchMillis;
    long failures;
    long exitsBeforeStart;
    final List<Long> startups = new ArrayList<>();

    static Recount of(List<Envelope<?>> events) {
        Recount recount = new Recount();
        Set<String> played = new HashSet<>();
        Map<String, PlaybackBeacon> last = new HashMap<>();
        for (Envelope<?> event : events) {
            switch (event.data()) {
                case PlaybackStarted started -> played.add(started.videoId() + "/" + started.sessionId());
                case SegmentServed served -> {
                    recount.requests++;
                    recount.cacheHits += served.cacheHit() ? 1 : 0;
                    recount.bytes += served.bytes();
                }
                case PlaybackBeacon beacon -> last.merge(beacon.videoId() + "/" + beacon.sessionId(), beacon,
                        (a, b) -> b.sequence() > a.sequence() ? b : a);
                default -> {
                }
            }
        }
        recount.plays = played.size();
        for (PlaybackBeacon beacon : last.values()) {
            recount.stalls += beacon.stalls();
            recount.stallMillis += beacon.stallMillis();
            recount.watchMillis += beacon.watchMillis();
            recount.failures += beacon.failed() ? 1 : 0;
            recount.exitsBeforeStart += Boolean.TRUE.equals(beacon.exitedBeforeStart()) ? 1 : 0;
            if (beacon.startupMillis() != null) {
                recount.startups.add(beacon.startupMillis());
            }
        }
        recount.startups.sort(Long::compare);
        return recount;
    }

    /** The exact quantile of the recounted startup times (nearest rank). */
    double startupQuantile(double q) {
        return startups.get((int) Math.min(startups.size() - 1, Math.ceil(q * startups.size()) - 1));
    }
}
