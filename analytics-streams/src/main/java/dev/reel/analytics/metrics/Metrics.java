package dev.reel.analytics.metrics;

import com.tdunning.math.stats.MergingDigest;
import java.nio.ByteBuffer;

/**
 * The viewer-experience figures of one dimension (everything, a video, a rendition or an edge) in one time bucket, as
 * counters and two quantile sketches (t-digest). Mergeable: the figures of several partitions, buckets or instances add
 * up with {@link #add}. Mutable, and confined to one thread (a stream task or one query).
 */
public final class Metrics {

    /** t-digest's accuracy parameter: about 1% error at the median, far better at the tails. */
    static final double COMPRESSION = 100;
    private static final byte FORMAT = 1;

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
    MergingDigest startupMillis;
    /** Edge latency of each request in microseconds; null while empty. */
    MergingDigest latencyMicros;

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

    private static MergingDigest merged(MergingDigest mine, MergingDigest theirs) {
        if (theirs == null || theirs.size() == 0) {
            return mine;
        }
        MergingDigest into = mine == null ? digest() : mine;
        into.add(theirs);
        return into;
    }

    /**
     * A new sketch. Alternating sort is off, so a sketch read back from its bytes (after a restart) goes on exactly as
     * the one that wrote them would have: the figures do not depend on when a process restarted.
     */
    static MergingDigest digest() {
        MergingDigest digest = new MergingDigest(COMPRESSION);
        digest.useAlternatingSort = false;
        return digest;
    }

    void addStartup(long millis) {
        if (startupMillis == null) {
            startupMillis = digest();
        }
        startupMillis.add(millis);
    }

    void addLatency(long micros) {
        if (latencyMicros == null) {
            latencyMicros = digest();
        }
        latencyMicros.add(micros);
    }

    public boolean isEmpty() {
        return plays == 0 && sessions == 0 && watchMillis == 0 && stallMillis == 0 && stalls == 0 && failures == 0
                && exitsBeforeStart == 0 && renditionSwitches == 0 && segmentRequests == 0 && startupMillis == null
                && latencyMicros == null;
    }

    /** What the query API shows. */
    public MetricsView view() {
        return MetricsView.of(this);
    }

    /** The store's binary form: a format byte, the counters, then each sketch (length, t-digest bytes). */
    public byte[] toBytes() {
        byte[] startup = sketchBytes(startupMillis);
        byte[] latency = sketchBytes(latencyMicros);
        ByteBuffer out = ByteBuffer.allocate(1 + 13 * Long.BYTES + 2 * Integer.BYTES + startup.length + latency.length);
        out.put(FORMAT);
        for (long value : new long[]{plays, sessions, watchMillis, stallMillis, stalls, failures, exitsBeforeStart,
                renditionSwitches, segmentRequests, cacheHits, bytesServed, bitrateKbpsSum, bitrateSamples}) {
            out.putLong(value);
        }
        out.putInt(startup.length).put(startup);
        out.putInt(latency.length).put(latency);
        return out.array();
    }

    public static Metrics fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown metrics format " + format);
        }
        Metrics m = new Metrics();
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

    private static byte[] sketchBytes(MergingDigest digest) {
        if (digest == null) {
            return new byte[0];
        }
        ByteBuffer buffer = ByteBuffer.allocate(digest.byteSize());
        digest.asBytes(buffer); // full precision (asSmallBytes would round the centroids to floats)
        return buffer.array();
    }

    private static MergingDigest readSketch(ByteBuffer in) {
        int length = in.getInt();
        if (length == 0) {
            return null;
        }
        ByteBuffer slice = in.slice(in.position(), length);
        in.position(in.position() + length);
        MergingDigest digest = MergingDigest.fromBytes(slice);
        digest.useAlternatingSort = false;
        return digest;
    }
}
