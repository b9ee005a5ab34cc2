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
import java.util.LinkedHashMap;
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
 *       dimensions video, edge.</li>
 *   <li>{@code segment.served}: a request with its bytes, cache hit and CMCD bit rate; dimensions video, rendition,
 *       edge, and its latency into the edge's sketch. With a CMCD session id it also marks the session as seen there.</li>
 *   <li>{@code playback.beacon}: a snapshot of the session so far; only what grew since the session's previous beacon
 *       is added (watch and stall time, stalls, rendition switches; the startup time, a failure and an exit before
 *       start once each), so a repeated, late or out-of-order beacon adds nothing twice; dimensions video,
 *       rendition.</li>
 * </ul>
 *
 * Everything ({@code all}) is not stored: it is the sum of the videos (every event has one video), with the edges'
 * latency sketches, added up at query time.
 *
 * Sessions are kept in {@value AnalyticsTopology#SESSIONS_STORE} until {@link #SESSION_IDLE} after their last event.
 */
final class PlaybackProcessor implements Processor<String, Envelope<?>, Void, Void> {

    /** A session with no event for this long (stream time) is forgotten. */
    static final Duration SESSION_IDLE = Duration.ofHours(3);
    private static final Duration EXPIRY_SCAN = Duration.ofMinutes(10);
    private static final Duration LAST_SEEN_RESOLUTION = Duration.ofMinutes(1);
    /** Figures of buckets recently written, as objects (the store has their bytes); bounded, dropped with the task. */
    private static final int HOT_BUCKETS = 4_096;
    private static final int HOT_SESSIONS = 16_384;

    private final LateEvents late;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, SessionState> sessions;
    private final Map<Granularity, WindowStore<String, Metrics>> buckets = new EnumMap<>(Granularity.class);
    /**
     * This task is the only writer of its stores, so the objects last written are what a read would give back; reading
     * them here spares deserializing a bucket (and its sketches) on every event. Cleared when the task is (re)initialized.
     */
    private final Map<String, Metrics> hot = bounded(HOT_BUCKETS);
    /** Sessions recently read or written, as objects, on the same grounds. */
    private final Map<String, SessionState> hotSessions = bounded(HOT_SESSIONS);

    PlaybackProcessor(LateEvents late) {
        this.late = late;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        hot.clear();
        hotSessions.clear();
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
        boolean firstPlay = !session.playCounted;
        Delta play = firstPlay ? Delta.play() : Delta.NONE;
        session.playCounted = true;
        boolean newDimension = contribute(session, List.of(
                KeyValue.pair(Dimension.VIDEO.key(started.videoId()), play),
                KeyValue.pair(Dimension.EDGE.key(edgeName(started.edge())), play)), time);
        save(sessionKey, session, time, firstPlay || newDimension);
    }

    private void served(SegmentServed served, long time) {
        long bitrate = served.bitrateKbps() != null && isMedia(served) ? served.bitrateKbps() : 0;
        Delta request = Delta.request(served.cacheHit(), served.bytes(), null, bitrate);
        // the latency sketch is kept per edge only (the overview merges the edges'): it is the costly part to store
        List<KeyValue<String, Delta>> parts = List.of(
                KeyValue.pair(Dimension.VIDEO.key(served.videoId()), request),
                KeyValue.pair(Dimension.RENDITION.key(served.rendition()), request),
                KeyValue.pair(Dimension.EDGE.key(edgeName(served.edge())),
                        Delta.request(served.cacheHit(), served.bytes(), served.latencyMicros(), bitrate)));
        if (served.sessionId() == null) {
            contribute(null, parts, time);
            return;
        }
        String sessionKey = sessionKey(served.videoId(), served.sessionId());
        SessionState session = session(sessionKey);
        boolean changed = contribute(session, parts, time);
        save(sessionKey, session, time, changed);
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

        List<KeyValue<String, Delta>> parts = new ArrayList<>(List.of(KeyValue.pair(Dimension.VIDEO.key(beacon.videoId()),
                progress)));
        if (beacon.rendition() != null) {
            parts.add(KeyValue.pair(Dimension.RENDITION.key(beacon.rendition()), progress));
        }
        contribute(session, parts, time);
        save(sessionKey, session, time, true);
    }

    /**
     * Adds each part's delta to its dimension's bucket of {@code time} in every granularity still open for it, plus one
     * session where the session is new to the dimension.
     *
     * @return whether the session learnt a new dimension
     */
    private boolean contribute(SessionState session, List<KeyValue<String, Delta>> parts, long time) {
        List<KeyValue<String, Delta>> perDimension = new ArrayList<>(parts.size());
        boolean newDimension = false;
        for (KeyValue<String, Delta> part : parts) {
            boolean first = session != null && session.firstTimeIn(part.key);
            newDimension |= first;
            Delta own = first ? part.value.withNewSession() : part.value;
            if (!own.isEmpty()) {
                perDimension.add(KeyValue.pair(part.key, own));
            }
        }
        if (perDimension.isEmpty()) {
            return newDimension;
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
                String hotKey = granularity.ordinal() + "|" + bucket + "|" + part.key;
                Metrics metrics = hot.get(hotKey);
                if (metrics == null) {
                    metrics = store.fetch(part.key, bucket);
                    metrics = metrics == null ? Metrics.empty() : metrics;
                    hot.put(hotKey, metrics);
                }
                store.put(part.key, part.value.applyTo(metrics), bucket);
            }
        }
        return newDimension;
    }

    private SessionState session(String key) {
        SessionState session = hotSessions.get(key);
        if (session == null) {
            session = sessions.get(key);
            session = session == null ? new SessionState() : session;
            hotSessions.put(key, session);
        }
        return session;
    }

    /** Stores the session when it changed, or when its last-seen time moved by a minute or more (for expiry). */
    private void save(String key, SessionState session, long time, boolean changed) {
        if (changed || time - session.lastSeenMillis >= LAST_SEEN_RESOLUTION.toMillis() || session.lastSeenMillis == 0) {
            session.lastSeenMillis = Math.max(session.lastSeenMillis, time);
            sessions.put(key, session);
        }
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
        idle.forEach(key -> {
            sessions.delete(key);
            hotSessions.remove(key);
        });
    }

    /** A map that forgets its least recently used entry beyond {@code capacity}. */
    private static <V> Map<String, V> bounded(int capacity) {
        return new LinkedHashMap<>(capacity, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
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
