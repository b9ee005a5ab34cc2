package dev.reel.analytics.metrics;

/**
 * The figures of a dimension over a bucket or a window, named for what they are. Percentages are 0-100 and, like the
 * quantiles, {@code null} when nothing was measured (no play, no frame, no request).
 *
 * @param plays                  playback attempts: sessions whose master playlist the edge served
 * @param uniqueSessions         sessions first seen in the bucket (a session counts once however long it lasts)
 * @param watchMillis            time spent playing, stalls and pauses excluded
 * @param startups               sessions that showed a first frame
 * @param startupMillisP50       median startup time, play request to first frame
 * @param startupMillisP95       95th percentile of the startup time
 * @param stalls                 rebuffering stalls after the first frame
 * @param stallMillis            time spent stalled
 * @param rebufferPercent        stallMillis / (watchMillis + stallMillis) x 100
 * @param playbackFailures       sessions whose player reported a fatal error
 * @param playbackFailurePercent playbackFailures / plays x 100
 * @param exitsBeforeStart       sessions the viewer left before the first frame
 * @param exitBeforeStartPercent exitsBeforeStart / plays x 100
 * @param renditionSwitches      changes of the playing rendition
 * @param averageBitrateKbps     mean encoded bit rate of the media segments requested (CMCD {@code br})
 * @param segmentRequests        playlists and segments the edges answered
 * @param cacheHitRatio          share of those answered from the edge's cache, 0-1
 * @param bytesServed            bytes the edges sent
 * @param edgeLatencyMillisP99   99th percentile of the edges' time to answer
 */
public record MetricsView(
        long plays,
        long uniqueSessions,
        long watchMillis,
        long startups,
        Double startupMillisP50,
        Double startupMillisP95,
        long stalls,
        long stallMillis,
        Double rebufferPercent,
        long playbackFailures,
        Double playbackFailurePercent,
        long exitsBeforeStart,
        Double exitBeforeStartPercent,
        long renditionSwitches,
        Double averageBitrateKbps,
        long segmentRequests,
        Double cacheHitRatio,
        long bytesServed,
        Double edgeLatencyMillisP99) {

    static MetricsView of(Metrics m) {
        long playedOrStalled = m.watchMillis + m.stallMillis;
        return new MetricsView(m.plays, m.sessions, m.watchMillis, size(m.startupMillis),
                quantile(m.startupMillis, 0.5, 1), quantile(m.startupMillis, 0.95, 1), m.stalls, m.stallMillis,
                ratio(m.stallMillis, playedOrStalled, 100), m.failures, ratio(m.failures, m.plays, 100), m.exitsBeforeStart,
                ratio(m.exitsBeforeStart, m.plays, 100), m.renditionSwitches, ratio(m.bitrateKbpsSum, m.bitrateSamples, 1),
                m.segmentRequests, ratio(m.cacheHits, m.segmentRequests, 1), m.bytesServed,
                quantile(m.latencyMicros, 0.99, 1_000));
    }

    private static long size(Sketch sketch) {
        return sketch == null ? 0 : sketch.size();
    }

    private static Double quantile(Sketch sketch, double q, double divisor) {
        if (sketch == null || sketch.size() == 0) {
            return null;
        }
        return round(sketch.quantile(q) / divisor);
    }

    private static Double ratio(long part, long whole, double scale) {
        return whole == 0 ? null : round(part * scale / whole);
    }

    /** Three decimals: enough for any figure here, and stable in JSON. */
    private static double round(double value) {
        return Math.round(value * 1_000) / 1_000.0;
    }
}
