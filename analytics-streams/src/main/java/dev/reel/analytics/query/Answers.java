package dev.reel.analytics.query;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.reel.analytics.metrics.MetricsView;
import java.time.Instant;
import java.util.List;

/** The JSON answers of the query API; every figure's name says what it is ({@link MetricsView}). */
public final class Answers {

    private Answers() {
    }

    /** What a window is: its label, bucket size and the first and last bucket starts. */
    public record Span(String window, long bucketSeconds, Instant from, Instant to) {
    }

    /** The figures of one bucket of a time series, {@code start} first. */
    public record Point(Instant start, @JsonUnwrapped MetricsView figures) {
    }

    /** The figures of one rendition over the window. */
    public record RenditionFigures(String rendition, @JsonUnwrapped MetricsView figures) {
    }

    /** One edge: its totals over the window and its time series. */
    public record EdgeFigures(String edge, MetricsView totals, List<Point> series) {
    }

    /** A public video among the most watched of the window. */
    public record TopVideo(String videoId, String title, @JsonUnwrapped MetricsView figures) {
    }

    /** {@code GET /api/analytics/overview}. */
    public record Overview(@JsonUnwrapped Span span, MetricsView totals, List<Point> series,
            List<RenditionFigures> renditions, List<EdgeFigures> edges, List<TopVideo> topVideos) {
    }

    /** {@code GET /api/analytics/videos/{id}}. */
    public record VideoAnswer(String videoId, String title, @JsonUnwrapped Span span, MetricsView totals, List<Point> series) {
    }

    /** {@code GET /api/analytics/edges}. */
    public record EdgesAnswer(@JsonUnwrapped Span span, List<EdgeFigures> edges) {
    }
}
