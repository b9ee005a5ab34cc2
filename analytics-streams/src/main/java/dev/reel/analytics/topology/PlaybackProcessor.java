package dev.reel.analytics.topology;

import dev.reel.analytics.metrics.Delta;
import dev.reel.analytics.metrics.Dimension;
import dev.reel.analytics.metrics.Granularity;
import dev.reel.analytics.metrics.HourRollup;
import dev.reel.analytics.metrics.Metrics;
import dev.reel.events.Envelope;
import dev.reel.events.PlaybackBeacon;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.SegmentServed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns each {@code reel.playback} event into what it adds to the figures of every dimension it concerns, in the minute
 * bucket of its event time (the hour bucket when it is too late for its minute; hours are rolled up from their minutes
 * once closed, {@link HourRollup}):
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

    /** The key of the hour last rolled up in {@value AnalyticsTopology#ROLLUPS_STORE}. */
    static final String ROLLED_UP_TO = "hour";

    private final LateEvents late;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, Long> rollups;
    /** Stream time at which the next hour closes; from the store at the first event after (re)initialization. */
    private long nextRollUp;
    private WriteBehindKeyValueStore<SessionState> sessions;
    private final Map<Granularity, WriteBehindWindowStore> buckets = new EnumMap<>(Granularity.class);
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
        this.rollups = context.getStateStore(AnalyticsTopology.ROLLUPS_STORE);
        nextRollUp = Long.MIN_VALUE;
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
        rollUpClosedHours(streamTime(time));
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
        // one write per dimension: into the minute, or into the hour when too late for the minute (HourRollup)
        long streamTime = streamTime(time);
        Granularity granularity = Granularity.MINUTE;
        if (isClosed(Granularity.MINUTE, time, streamTime)) {
            late.record(Granularity.MINUTE);
            if (isClosed(Granularity.HOUR, time, streamTime)) {
                late.record(Granularity.HOUR);
                return newDimension;
            }
            granularity = Granularity.HOUR;
        }
        long bucket = granularity.bucketStart(time);
        WriteBehindWindowStore store = buckets.get(granularity);
        for (KeyValue<String, Delta> part : perDimension) {
            store.put(part.key, bucket, part.value.applyTo(bucket(granularity, part.key, bucket)));
        }
        return newDimension;
    }

    /** The figures last written to a bucket, as the object written (see {@link #hot}), or new empty ones. */
    private Metrics bucket(Granularity granularity, String key, long bucket) {
        String hotKey = granularity.ordinal() + "|" + bucket + "|" + key;
        Metrics metrics = hot.get(hotKey);
        if (metrics == null) {
            metrics = buckets.get(granularity).current(key, bucket);
            metrics = metrics == null ? Metrics.empty() : metrics;
            hot.put(hotKey, metrics);
        }
        return metrics;
    }

    private static boolean isClosed(Granularity granularity, long time, long streamTime) {
        return granularity.bucketStart(time) + granularity.bucket().toMillis() + granularity.grace().toMillis() <= streamTime;
    }

    /** The partition's stream time, the event being processed included. */
    private long streamTime(long time) {
        return Math.max(context.currentStreamTimeMs(), time);
    }

    /**
     * Rolls the minutes of every hour that closed since the last roll-up into its hour bucket ({@link HourRollup}), before
     * the event that moved stream time on is written: its write may drop minutes past their retention, and those of a
     * closed hour must be in its hour first. Runs inside processing, so the hour buckets and the hour rolled up to
     * ({@value #ROLLED_UP_TO} in {@value AnalyticsTopology#ROLLUPS_STORE}) commit with the offsets: exactly once.
     */
    private void rollUpClosedHours(long streamTime) {
        if (streamTime < nextRollUp) {
            return;
        }
        long hour = Granularity.HOUR.bucket().toMillis();
        long closing = hour + Granularity.HOUR.grace().toMillis();
        long lastClosed = Granularity.HOUR.bucketStart(streamTime - closing);
        Long done = rollups.get(ROLLED_UP_TO);
        // first time: every hour whose minutes may still be kept
        long first = done != null
                ? done + hour
                : Granularity.HOUR.bucketStart(streamTime - Granularity.MINUTE.retention().toMillis());
        for (long start = first; start <= lastClosed; start += hour) {
            rollUp(start);
        }
        if (first <= lastClosed) {
            rollups.put(ROLLED_UP_TO, lastClosed);
        }
        nextRollUp = lastClosed + hour + closing;
    }

    private void rollUp(long hourStart) {
        long hour = Granularity.HOUR.bucket().toMillis();
        Map<String, List<KeyValue<Long, Metrics>>> minutes = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, Metrics> all = buckets.get(Granularity.MINUTE)
                .fetchAllCurrent(hourStart, hourStart + hour - 1)) {
            all.forEachRemaining(entry -> minutes.computeIfAbsent(entry.key.key(), k -> new ArrayList<>())
                    .add(KeyValue.pair(entry.key.window().start(), entry.value)));
        }
        WriteBehindWindowStore hours = buckets.get(Granularity.HOUR);
        minutes.forEach((key, found) -> {
            found.sort(Comparator.comparing((KeyValue<Long, Metrics> minute) -> minute.key));
            Metrics whole = HourRollup.rolledUp(bucket(Granularity.HOUR, key, hourStart),
                    found.stream().map(minute -> minute.value).toList());
            hot.put(Granularity.HOUR.ordinal() + "|" + hourStart + "|" + key, whole);
            hours.put(key, hourStart, whole);
        });
    }

    private SessionState session(String key) {
        SessionState session = hotSessions.get(key);
        if (session == null) {
            session = sessions.current(key);
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
        try (KeyValueIterator<String, SessionState> all = sessions.allCurrent()) {
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
