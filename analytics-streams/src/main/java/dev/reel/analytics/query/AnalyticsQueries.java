package dev.reel.analytics.query;

import dev.reel.analytics.metrics.Dimension;
import dev.reel.analytics.metrics.Metrics;
import dev.reel.analytics.query.Answers.EdgeFigures;
import dev.reel.analytics.query.Answers.EdgesAnswer;
import dev.reel.analytics.query.Answers.Overview;
import dev.reel.analytics.query.Answers.Point;
import dev.reel.analytics.query.Answers.RenditionFigures;
import dev.reel.analytics.query.Answers.Span;
import dev.reel.analytics.query.Answers.TopVideo;
import dev.reel.analytics.query.Answers.VideoAnswer;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.auth.Viewer;
import dev.reel.service.http.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpStatus;

/**
 * What each endpoint answers: the gathered buckets of every partition added up (in partition order, then bucket
 * order, so the same figures always give the same sketches), as totals over the window and as a time series with
 * every bucket of the window (empty ones included). Aggregates that name videos list public videos only; one video's
 * figures are anyone's when it is public or unlisted (reachable by id), and a private video's only its owner's (or a
 * playback token's holder's): to anyone else it is an unknown id, 404 with the same body.
 */
public final class AnalyticsQueries {

    /** Videos in the overview's top list. */
    static final int TOP_VIDEOS = 10;

    private final Gatherer gatherer;
    private final Function<String, Optional<VideoRecord>> catalog;
    private final PlaybackTokens tokens;
    private final Clock clock;

    /**
     * @param catalog the current catalog record of a video id (the global {@code reel.catalog} table)
     * @param tokens  checks playback tokens of private videos, or {@code null} (then only the owner's key opens them)
     */
    public AnalyticsQueries(Gatherer gatherer, Function<String, Optional<VideoRecord>> catalog, PlaybackTokens tokens,
            Clock clock) {
        this.gatherer = gatherer;
        this.catalog = catalog;
        this.tokens = tokens;
        this.clock = clock;
    }

    public Overview overview(QueryWindow window) {
        long now = clock.millis();
        Merged merged = Merged.of(gatherer.gather(window.granularity(), "", false, window.firstBucket(now),
                window.lastBucket(now)));
        List<RenditionFigures> renditions = merged.keys(Dimension.RENDITION).stream()
                .map(key -> new RenditionFigures(Dimension.RENDITION.valueIn(key), merged.total(key).view())).toList();
        List<TopVideo> top = new ArrayList<>();
        for (String key : merged.keys(Dimension.VIDEO)) {
            String videoId = Dimension.VIDEO.valueIn(key);
            publicVideo(videoId).ifPresent(video -> top.add(new TopVideo(videoId, video.title(), merged.total(key).view())));
        }
        top.sort(Comparator.comparingLong((TopVideo v) -> v.figures().watchMillis()).reversed()
                .thenComparing(Comparator.comparingLong((TopVideo v) -> v.figures().plays()).reversed())
                .thenComparing(TopVideo::videoId));
        String all = Dimension.ALL.key(null);
        return new Overview(span(window, now), merged.total(all).view(), merged.series(all, window, now), renditions,
                edges(merged, window, now), List.copyOf(top.subList(0, Math.min(TOP_VIDEOS, top.size()))));
    }

    public VideoAnswer video(String videoId, QueryWindow window, Viewer viewer) {
        VideoRecord video = catalog.apply(videoId).filter(v -> v.state() != VideoState.DELETED)
                .filter(v -> viewer.maySee(videoId, v.owner(), v.visibility() == Visibility.PRIVATE, tokens, clock.instant()))
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND_404, "unknown video " + videoId));
        long now = clock.millis();
        String key = Dimension.VIDEO.key(videoId);
        Merged merged = Merged.of(gatherer.gather(window.granularity(), key, true, window.firstBucket(now),
                window.lastBucket(now)));
        return new VideoAnswer(videoId, video.title(), span(window, now), merged.total(key).view(),
                merged.series(key, window, now));
    }

    public EdgesAnswer edges(QueryWindow window) {
        long now = clock.millis();
        Merged merged = Merged.of(gatherer.gather(window.granularity(), Dimension.EDGE.prefix(), false,
                window.firstBucket(now), window.lastBucket(now)));
        return new EdgesAnswer(span(window, now), edges(merged, window, now));
    }

    private static List<EdgeFigures> edges(Merged merged, QueryWindow window, long now) {
        return merged.keys(Dimension.EDGE).stream().map(key -> new EdgeFigures(Dimension.EDGE.valueIn(key),
                merged.total(key).view(), merged.series(key, window, now))).toList();
    }

    private Optional<VideoRecord> publicVideo(String videoId) {
        return catalog.apply(videoId)
                .filter(v -> v.visibility() == Visibility.PUBLIC && v.state() != VideoState.DELETED);
    }

    private static Span span(QueryWindow window, long now) {
        return new Span(window.label(), window.granularity().bucket().toSeconds(), Instant.ofEpochMilli(window.firstBucket(now)),
                Instant.ofEpochMilli(window.lastBucket(now)));
    }

    /** The gathered buckets added up by dimension key and bucket start. */
    private record Merged(Map<String, TreeMap<Long, Metrics>> byKey) {

        static Merged of(List<Partials> parts) {
            List<Bucket> buckets = new ArrayList<>();
            parts.forEach(p -> buckets.addAll(p.buckets()));
            buckets.sort(Comparator.comparingInt(Bucket::partition).thenComparingLong(Bucket::start));
            Map<String, TreeMap<Long, Metrics>> byKey = new TreeMap<>();
            for (Bucket bucket : buckets) {
                byKey.computeIfAbsent(bucket.key(), k -> new TreeMap<>())
                        .computeIfAbsent(bucket.start(), s -> Metrics.empty()).add(bucket.metrics());
            }
            // everything: every video's figures (each event has one video), and the edges' latency sketches
            TreeMap<Long, Metrics> all = new TreeMap<>();
            byKey.forEach((key, perBucket) -> {
                if (key.startsWith(Dimension.VIDEO.prefix())) {
                    perBucket.forEach((start, m) -> all.computeIfAbsent(start, s -> Metrics.empty()).add(m));
                } else if (key.startsWith(Dimension.EDGE.prefix())) {
                    perBucket.forEach((start, m) -> all.computeIfAbsent(start, s -> Metrics.empty()).addLatencyOf(m));
                }
            });
            byKey.put(Dimension.ALL.key(null), all);
            return new Merged(byKey);
        }

        List<String> keys(Dimension dimension) {
            return byKey.keySet().stream().filter(k -> k.startsWith(dimension.prefix())).toList();
        }

        Metrics total(String key) {
            Metrics total = Metrics.empty();
            byKey.getOrDefault(key, new TreeMap<>()).values().forEach(total::add);
            return total;
        }

        List<Point> series(String key, QueryWindow window, long now) {
            TreeMap<Long, Metrics> buckets = byKey.getOrDefault(key, new TreeMap<>());
            List<Point> points = new ArrayList<>();
            long step = window.granularity().bucket().toMillis();
            for (long start = window.firstBucket(now); start <= window.lastBucket(now); start += step) {
                points.add(new Point(Instant.ofEpochMilli(start), buckets.getOrDefault(start, Metrics.empty()).view()));
            }
            return points;
        }
    }
}
