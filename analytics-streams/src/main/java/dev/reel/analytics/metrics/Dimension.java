package dev.reel.analytics.metrics;

/**
 * What a set of figures is about, as the key of the metric stores: one video ({@code video/<id>}), one rendition name
 * over all videos ({@code rendition/<name>}) or one edge ({@code edge/<id>}); and everything ({@code all}), which is
 * not stored but added up at query time from the videos (and the edges' latency).
 */
public enum Dimension {
    ALL("all"), VIDEO("video/"), RENDITION("rendition/"), EDGE("edge/");

    private final String prefix;

    Dimension(String prefix) {
        this.prefix = prefix;
    }

    /** The store key of {@code value} in this dimension ({@code all} has no value). */
    public String key(String value) {
        return this == ALL ? prefix : prefix + value;
    }

    /** The prefix every key of this dimension starts with; for {@code all}, the whole key. */
    public String prefix() {
        return prefix;
    }

    /** The value in a key of this dimension, e.g. the edge id of {@code edge/edge-1}. */
    public String valueIn(String key) {
        return key.substring(prefix.length());
    }
}
