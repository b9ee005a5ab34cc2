package dev.reel.analytics.metrics;

/**
 * What one event adds to the figures of each dimension it concerns. Built with the static factories and the
 * {@code with...} methods; {@code null} sketch values add nothing.
 *
 * @param plays             a session's first {@code playback.started}
 * @param sessions          the session is seen in this dimension for the first time
 * @param watchMillis       more playing time
 * @param stallMillis       more stalled time
 * @param stalls            more stalls
 * @param failures          the session's first fatal error
 * @param exitsBeforeStart  the viewer left before the first frame
 * @param renditionSwitches more rendition changes
 * @param segmentRequests   a playlist or segment answered
 * @param cacheHits         answered from the edge's cache
 * @param bytesServed       bytes sent
 * @param bitrateKbps       the encoded bit rate of a media segment (CMCD {@code br}), or 0 when not known
 * @param startupMillis     the session's startup time, once
 * @param latencyMicros     the edge's time to answer
 */
public record Delta(long plays, long sessions, long watchMillis, long stallMillis, long stalls, long failures,
        long exitsBeforeStart, long renditionSwitches, long segmentRequests, long cacheHits, long bytesServed,
        long bitrateKbps, Long startupMillis, Long latencyMicros) {

    public static final Delta NONE = new Delta(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);

    /** A session's first {@code playback.started}. */
    public static Delta play() {
        return new Delta(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
    }

    /** An answered request; its latency ({@code null}: not kept in this dimension). */
    public static Delta request(boolean hit, long bytes, Long latencyMicros, long bitrateKbps) {
        return new Delta(0, 0, 0, 0, 0, 0, 0, 0, 1, hit ? 1 : 0, bytes, bitrateKbps, null, latencyMicros);
    }

    /** What a beacon adds beyond the session's previous one. */
    public static Delta progress(long watchMillis, long stallMillis, long stalls, boolean failed, boolean exitedBeforeStart,
            long renditionSwitches, Long startupMillis) {
        return new Delta(0, 0, watchMillis, stallMillis, stalls, failed ? 1 : 0, exitedBeforeStart ? 1 : 0, renditionSwitches,
                0, 0, 0, 0, startupMillis, null);
    }

    /** The same, plus one new session in the dimension. */
    public Delta withNewSession() {
        return new Delta(plays, sessions + 1, watchMillis, stallMillis, stalls, failures, exitsBeforeStart, renditionSwitches,
                segmentRequests, cacheHits, bytesServed, bitrateKbps, startupMillis, latencyMicros);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** Adds this to {@code metrics}. */
    public Metrics applyTo(Metrics metrics) {
        metrics.plays += plays;
        metrics.sessions += sessions;
        metrics.watchMillis += watchMillis;
        metrics.stallMillis += stallMillis;
        metrics.stalls += stalls;
        metrics.failures += failures;
        metrics.exitsBeforeStart += exitsBeforeStart;
        metrics.renditionSwitches += renditionSwitches;
        metrics.segmentRequests += segmentRequests;
        metrics.cacheHits += cacheHits;
        metrics.bytesServed += bytesServed;
        if (bitrateKbps > 0) {
            metrics.bitrateKbpsSum += bitrateKbps;
            metrics.bitrateSamples++;
        }
        if (startupMillis != null) {
            metrics.addStartup(startupMillis);
        }
        if (latencyMicros != null) {
            metrics.addLatency(latencyMicros);
        }
        return metrics;
    }
}
