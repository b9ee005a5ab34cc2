package dev.reel.analytics;

import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.EventType;
import dev.reel.events.PlaybackBeacon;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.SegmentServed;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Playback events as edges write them, at a chosen event time. */
public final class PlaybackEvents {

    private PlaybackEvents() {
    }

    public static Envelope<EventData> at(Instant time, EventData data) {
        return new Envelope<>(UUID.randomUUID().toString(), EventType.of(data).type(), "edge/edge-1", time, data.videoId(),
                Envelope.SPEC_VERSION, Envelope.DATA_CONTENT_TYPE, data);
    }

    public static PlaybackStarted started(String videoId, String session, String edge) {
        return new PlaybackStarted(videoId, "edge/" + edge, session, "test");
    }

    /** A media segment request with CMCD. */
    public static SegmentServed segment(String videoId, String session, String edge, String rendition, boolean hit,
            long bytes, long latencyMicros, long bitrateKbps) {
        return new SegmentServed(videoId, "edge/" + edge, rendition, "seg-00001.m4s", bytes, hit, latencyMicros, session,
                4_000L, 20_000L, bitrateKbps, "v", false);
    }

    /** A beacon snapshot. */
    public static PlaybackBeacon beacon(String videoId, String session, long sequence, Long startupMillis, int stalls,
            long stallMillis, long watchMillis, String rendition, String fatalError, boolean exitedBeforeStart) {
        return new PlaybackBeacon(videoId, session, startupMillis, stalls, stallMillis, rendition, sequence, "periodic",
                watchMillis, List.of(), fatalError, exitedBeforeStart, 0);
    }
}
