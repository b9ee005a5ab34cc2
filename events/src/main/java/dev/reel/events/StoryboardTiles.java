package dev.reel.events;

import static dev.reel.events.Checks.nonEmptyListOf;
import static dev.reel.events.Checks.positive;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The storyboard tiles a chunk task makes from the frames it decodes anyway: the frames, by their presentation
 * timestamps in the original's time base (the task's), and where they go.
 *
 * @param first  the number of the first tile ({@code tile-NNNNN.jpg}, from 1)
 * @param frames the timestamps of the frames to keep, one per tile, rising
 * @param width  tile width in pixels
 * @param height tile height in pixels
 */
public record StoryboardTiles(int first, List<Long> frames, int width, int height) {

    public StoryboardTiles {
        positive(first, "first");
        frames = nonEmptyListOf(frames, "frames");
        for (int i = 1; i < frames.size(); i++) {
            if (frames.get(i) <= frames.get(i - 1)) {
                throw new IllegalArgumentException("tile frames must rise: " + frames);
            }
        }
        positive(width, "width");
        positive(height, "height");
    }

    /** The tile numbers, first to last. */
    public List<Integer> numbers() {
        return IntStream.range(first, first + frames.size()).boxed().toList();
    }
}
