package dev.reel.events;

import static dev.reel.events.Checks.positive;

/**
 * A video's storyboard as planned: evenly spaced thumbnails ("tiles") of one size, laid out row by row in one sprite
 * image, and a WebVTT file mapping each tile's time range to its rectangle of the sprite
 * ({@code storyboard.jpg#xywh=x,y,w,h}). Tile {@code i} (from 0) covers {@code [i * interval, (i + 1) * interval)} of the
 * video's timeline (the last one ends with the video) and shows the first frame at or after its start.
 *
 * @param intervalSeconds seconds between two tiles
 * @param tileWidth       pixels
 * @param tileHeight      pixels
 * @param tiles           how many tiles (at most {@link #MAX_TILES})
 * @param columns         tiles per row of the sprite
 */
public record Storyboard(double intervalSeconds, int tileWidth, int tileHeight, int tiles, int columns) {

    /** At most this many tiles: enough for a seek bar of any width, small enough for one sprite. */
    public static final int MAX_TILES = 100;

    public Storyboard {
        positive(intervalSeconds, "intervalSeconds");
        positive(tileWidth, "tileWidth");
        positive(tileHeight, "tileHeight");
        positive(tiles, "tiles");
        positive(columns, "columns");
        if (tiles > MAX_TILES) {
            throw new IllegalArgumentException("at most " + MAX_TILES + " tiles, not " + tiles);
        }
    }

    /** Rows of the sprite. */
    public int rows() {
        return (tiles + columns - 1) / columns;
    }

    /** The sprite's width in pixels. */
    public int spriteWidth() {
        return Math.min(tiles, columns) * tileWidth;
    }

    /** The sprite's height in pixels. */
    public int spriteHeight() {
        return rows() * tileHeight;
    }

    /** Left edge of tile {@code i} in the sprite. */
    public int x(int i) {
        return (i % columns) * tileWidth;
    }

    /** Top edge of tile {@code i} in the sprite. */
    public int y(int i) {
        return (i / columns) * tileHeight;
    }
}
