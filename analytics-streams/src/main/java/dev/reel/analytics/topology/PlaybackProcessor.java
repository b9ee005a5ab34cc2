package dev.reel.analytics.topology;

import dev.reel.analytics.metrics.Delta;
import dev.reel.analytics.metrics.Dimension;
import dev.reel.analytics.metrics.Granularity;
import dev.reel.analytics.metrics.Metrics;
import dev.reel.events.Envelope;
import dev.reel.events.PlaybackBeacon;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.SegmentServed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Turns each {@code reel.playback} event into what it adds to the figures of every dimension it concerns, in the minute
 * and hour buckets of its event time:
 *
 * <ul>
 *   <li>{@code playback.started}: a play, the first time per session (a retried master playlist is not another play);
 *       dimensions all, video, edge.</li>
 *   <li>{@code segment.served}: a request with its bytes, cache hit, latency and CMCD bit rate; dimensions all, video,
 *       rendition, edge. With a CMCD session id it also marks the session as seen there.</li>
 *   <li>{@code playback.beacon}: a snapshot of the session so far; only what grew since the session's previous beacon
 *       is added (watch and stall time, stalls, rendition switches; the startup time, a failure and an exit before
 *       start once each), so a repeated, late or out-of-order beacon adds nothing twice; dimensions all, video,
 *       rendition.</li>
 * </ul>
 *
 * Sessions are kept in {@value AnalyticsTopology#SESSIONS_STORE} until {@link #SESSION_IDLE} after their last event.
 */
final class PlaybackProcessor implements Processor<String, Envelope<?>, Void, Void> {

    /** A session with no event for this long (stream time) is forgotten. */
    static final Duration SESSION_IDLE = Duration.ofHours(3);
    private static final Duration EXPIRY_SCAN = Duration.ofMinutes(10);

    private final LateEvents late;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, SessionState> sessions;
    private final Map<Granularity, WindowStore<String, Metrics>> buckets = new EnumMap<>(Granularity.class);

    PlaybackProcessor(LateEvents late) {
        this.late = late;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.sessions = context.getStateStore(AnalyticsTopology.SESSIONS_STORE);
        for (Granularity granularity : Granularity.values()) {
            buckets.put(granularity, context.getStateStore(granularity.storeName()));
        }
        context.schedule(EXPIRY_SCAN, PunctuationType.STREAM_TIME, this::forgetIdleSessions);
    }

    @Override
    public void process(Record<String, Envelope<?>> record) {
        Envelope<?> event = record.value();
        if (!Objects.equals(record.key(), event.subject())) {
            throw new IllegalArgumentException("record key '" + record.key() + "' is not the event's subject '"
                    + event.subject() + "'");
        }
        long time = record.timestamp();
        switch (event.data()) {
            case PlaybackStarted started -> started(started, time);
            case SegmentServed served -> served(served, time);
            case PlaybackBeacon beacon -> beacon(beacon, time);
            default -> throw new IllegalArgumentException(event.type() + " does not belong on reel.playback");
        }
    }

    private void started(PlaybackStarted started, long time) {
        String sessionKey = sessionKey(started.videoId(), started.sessionId());
        SessionState session = session(sessionKey);
        List<String> dimensions = List.of(Dimension.ALL.key(null), Dimension.VIDEO.key(started.videoId()),
                Dimension.EDGE.key(edgeName(started.edge())));
        Delta play = session.playCounted ? Delta.NONE : Delta.play();
        session.playCounted = true;
        contribute(session, dimensions, play, time);
        save(sessionKey, session, time);
    }

    private void served(SegmentServed served, long time) {
        long bitrate = served.bitrateKbps() != null && isMedia(served) ? served.bitrateKbps() : 0;
        Delta request = Delta.request(served.cacheHit(), served.bytes(), served.latencyMicros(), bitrate);
        List<String> dimensions = List.of(Dimension.ALL.key(null), Dimension.VIDEO.key(served.videoId()),
                Dimension.RENDITION.key(served.rendition()), Dimension.EDGE.key(edgeName(served.edge())));
        if (served.sessionId() == null) {
            contribute(null, dimensions, request, time);
            return;
        }
        String sessionKey = sessionKey(served.videoId(), served.sessionId());
        SessionState session = session(sessionKey);
        contribute(session, dimensions, request, time);
        save(sessionKey, session, time);
    }

    private void beacon(PlaybackBeacon beacon, long time) {
        String sessionKey = sessionKey(beacon.videoId(), beacon.sessionId());
        SessionState session = session(sessionKey);
        if (beacon.sequence() != null && beacon.sequence() <= session.lastSequence) {
            return; // an older or repeated snapshot: the session already has what it says
        }
        boolean firstFrame = session.startupMillis == null && beacon.startupMillis() != null;
        boolean failed = !session.failed && beacon.failed();
        boolean exited = !session.exitedBeforeStart && Boolean.TRUE.equals(beacon.exitedBeforeStart())
                && beacon.startupMillis() == null && session.startupMillis == null;
        long watch = beacon.watchMillis() == null ? 0 : beacon.watchMillis();
        long switches = beacon.renditionSwitches() == null ? 0 : beacon.renditionSwitches();
        Delta progress = Delta.progress(grown(watch, session.watchMillis), grown(beacon.stallMillis(), session.stallMillis),
                grown(beacon.stalls(), session.stalls), failed, exited, grown(switches, session.renditionSwitches),
                firstFrame ? beacon.startupMillis() : null);

        session.lastSequence = beacon.sequence() == null ? session.lastSequence : beacon.sequence();
        session.startupMillis = firstFrame ? beacon.startupMillis() : session.startupMillis;
        session.watchMillis = Math.max(session.watchMillis, watch);
        session.stallMillis = Math.max(session.stallMillis, beacon.stallMillis());
        session.stalls = Math.max(session.stalls, beacon.stalls());
        session.renditionSwitches = Math.max(session.renditionSwitches, switches);
        session.failed |= failed;
        session.exitedBeforeStart |= exited;

        List<String> dimensions = new ArrayList<>(List.of(Dimension.ALL.key(null), Dimension.VIDEO.key(beacon.videoId())));
        if (beacon.rendition() != null) {
            dimensions.add(Dimension.RENDITION.key(beacon.rendition()));
        }
        contribute(session, dimensions, progress, time);
        save(sessionKey, session, time);
    }

    /**
     * Adds {@code delta} to each dimension's bucket of {@code time} in every granularity still open for it, plus one
     * session where the session is new to the dimension.
     */
    private void contribute(SessionState session, List<String> dimensions, Delta delta, long time) {
        List<KeyValue<String, Delta>> perDimension = new ArrayList<>(dimensions.size());
        for (String dimension : dimensions) {
            Delta own = session != null && session.firstTimeIn(dimension) ? delta.withNewSession() : delta;
            if (!own.isEmpty()) {
                perDimension.add(KeyValue.pair(dimension, own));
            }
        }
        if (perDimension.isEmpty()) {
            return;
        }
        long streamTime = context.currentStreamTimeMs();
        for (Granularity granularity : Granularity.values()) {
            long bucket = granularity.bucketStart(time);
            if (bucket + granularity.bucket().toMillis() + granularity.grace().toMillis() <= streamTime) {
                late.record(granularity);
                continue;
            }
            WindowStore<String, Metrics> store = buckets.get(granularity);
            for (KeyValue<String, Delta> part : perDimension) {
                Metrics metrics = store.fetch(part.key, bucket);
                store.put(part.key, part.value.applyTo(metrics == null ? Metrics.empty() : metrics), bucket);
            }
        }
    }

    private SessionState session(String key) {
        SessionState session = sessions.get(key);
        return session == null ? new SessionState() : session;
    }

    private void save(String key, SessionState session, long time) {
        session.lastSeenMillis = Math.max(session.lastSeenMillis, time);
        sessions.put(key, session);
    }

    private void forgetIdleSessions(long streamTime) {
        long before = streamTime - SESSION_IDLE.toMillis();
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, SessionState> all = sessions.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.lastSeenMillis < before) {
                    idle.add(entry.key);
                }
            });
        }
        idle.forEach(sessions::delete);
    }

    private static long grown(long now, long before) {
        return Math.max(0, now - before);
    }

    private static boolean isMedia(SegmentServed served) {
        String type = served.objectType();
        return type == null ? served.file().startsWith("seg-") : type.equals("v") || type.equals("av") || type.equals("a");
    }

    /** Edges write {@code edge/<instance>} in {@code edge}; the dimension is the instance. */
    static String edgeName(String edge) {
        return edge.startsWith("edge/") ? edge.substring("edge/".length()) : edge;
    }

    static String sessionKey(String videoId, String sessionId) {
        return videoId + "/" + sessionId;
    }
}
