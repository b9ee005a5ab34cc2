package dev.reel.analytics.metrics;

import java.nio.ByteBuffer;

/**
 * The viewer-experience figures of one dimension (everything, a video, a rendition or an edge) in one time bucket, as
 * counters and two quantile sketches ({@link Sketch}, t-digests). Mergeable: the figures of several partitions, buckets or instances add
 * up with {@link #add}. Mutable, and confined to one thread (a stream task or one query).
 */
public final class Metrics {

    private static final byte FORMAT = 3;
    /** The form before hours were rolled up from minutes: every hour bucket was then written whole, event by event. */
    private static final byte FORMAT_WHOLE_HOURS = 2;

    /**
     * An hour bucket that holds its whole hour: its minutes were rolled up into it once the hour closed
     * ({@link HourRollup}). Before that an hour bucket holds only the events too late for their minute. Never set on
     * minute buckets, and not a figure: adding figures up leaves it as it is.
     */
    boolean rolledUp;

    /** Playback attempts: sessions whose master playlist was served (their first {@code playback.started}). */
    long plays;
    /** Sessions first seen in this bucket and dimension. */
    long sessions;
    long watchMillis;
    long stallMillis;
    long stalls;
    /** Sessions whose player reported a fatal error. */
    long failures;
    long exitsBeforeStart;
    long renditionSwitches;
    long segmentRequests;
    long cacheHits;
    long bytesServed;
    long bitrateKbpsSum;
    long bitrateSamples;
    /** Startup times in milliseconds, one per session that showed a frame; null while empty. */
    Sketch startupMillis;
    /** Edge latency of each request in microseconds; null while empty. */
    Sketch latencyMicros;

    public static Metrics empty() {
        return new Metrics();
    }

    /** Adds {@code other}'s figures to these. */
    public Metrics add(Metrics other) {
        plays += other.plays;
        sessions += other.sessions;
        watchMillis += other.watchMillis;
        stallMillis += other.stallMillis;
        stalls += other.stalls;
        failures += other.failures;
        exitsBeforeStart += other.exitsBeforeStart;
        renditionSwitches += other.renditionSwitches;
        segmentRequests += other.segmentRequests;
        cacheHits += other.cacheHits;
        bytesServed += other.bytesServed;
        bitrateKbpsSum += other.bitrateKbpsSum;
        bitrateSamples += other.bitrateSamples;
        startupMillis = merged(startupMillis, other.startupMillis);
        latencyMicros = merged(latencyMicros, other.latencyMicros);
        return this;
    }

    /** Adds only {@code other}'s latency sketch: everything's latency is the edges', kept only there. */
    public Metrics addLatencyOf(Metrics other) {
        latencyMicros = merged(latencyMicros, other.latencyMicros);
        return this;
    }

    private static Sketch merged(Sketch mine, Sketch theirs) {
        if (theirs == null || theirs.size() == 0) {
            return mine;
        }
        Sketch into = mine == null ? new Sketch() : mine;
        into.add(theirs);
        return into;
    }

    void addStartup(long millis) {
        if (startupMillis == null) {
            startupMillis = new Sketch();
        }
        startupMillis.add(millis);
    }

    void addLatency(long micros) {
        if (latencyMicros == null) {
            latencyMicros = new Sketch();
        }
        latencyMicros.add(micros);
    }

    public boolean isEmpty() {
        return plays == 0 && sessions == 0 && watchMillis == 0 && stallMillis == 0 && stalls == 0 && failures == 0
                && exitsBeforeStart == 0 && renditionSwitches == 0 && segmentRequests == 0 && startupMillis == null
                && latencyMicros == null;
    }

    public boolean isRolledUp() {
        return rolledUp;
    }

    /** What the query API shows. */
    public MetricsView view() {
        return MetricsView.of(this);
    }

    /**
     * The store's binary form: a format byte, the rolled-up flag, the counters, then each sketch (a flag, then the
     * sketch's bytes).
     */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(2 + 13 * Long.BYTES + sketchSize(startupMillis) + sketchSize(latencyMicros));
        out.put(FORMAT);
        out.put((byte) (rolledUp ? 1 : 0));
        for (long value : new long[]{plays, sessions, watchMillis, stallMillis, stalls, failures, exitsBeforeStart,
                renditionSwitches, segmentRequests, cacheHits, bytesServed, bitrateKbpsSum, bitrateSamples}) {
            out.putLong(value);
        }
        writeSketch(startupMillis, out);
        writeSketch(latencyMicros, out);
        return out.array();
    }

    public static Metrics fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte format = in.get();
        if (format != FORMAT && format != FORMAT_WHOLE_HOURS) {
            throw new IllegalArgumentException("unknown metrics format " + format);
        }
        Metrics m = new Metrics();
        m.rolledUp = format == FORMAT_WHOLE_HOURS || in.get() == 1;
        m.plays = in.getLong();
        m.sessions = in.getLong();
        m.watchMillis = in.getLong();
        m.stallMillis = in.getLong();
        m.stalls = in.getLong();
        m.failures = in.getLong();
        m.exitsBeforeStart = in.getLong();
        m.renditionSwitches = in.getLong();
        m.segmentRequests = in.getLong();
        m.cacheHits = in.getLong();
        m.bytesServed = in.getLong();
        m.bitrateKbpsSum = in.getLong();
        m.bitrateSamples = in.getLong();
        m.startupMillis = readSketch(in);
        m.latencyMicros = readSketch(in);
        return m;
    }

    private static int sketchSize(Sketch sketch) {
        return 1 + (sketch == null ? 0 : sketch.byteSize());
    }

    private static void writeSketch(Sketch sketch, ByteBuffer out) {
        out.put((byte) (sketch == null ? 0 : 1));
        if (sketch != null) {
            sketch.writeTo(out);
        }
    }

    private static Sketch readSketch(ByteBuffer in) {
        return in.get() == 0 ? null : Sketch.readFrom(in);
    }
}
