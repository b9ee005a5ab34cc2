package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonEmptyListOf;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.validVideoId;

import java.util.List;

/**
 * The whole ladder and the poster are in object storage; written to {@code reel.transcode}.
 *
 * @param videoId       the video
 * @param worker        the worker instance
 * @param renditions    every rendition, complete (none {@linkplain Rendition#growing() growing}), lowest bandwidth first
 * @param posterKey     object key of the poster image
 * @param elapsedMillis wall-clock time of the successful attempt
 */
public record TranscodeCompleted(
        String videoId, String worker, List<Rendition> renditions, String posterKey, long elapsedMillis)
        implements
            EventData {

    public TranscodeCompleted {
        validVideoId(videoId);
        nonBlank(worker, "worker");
        renditions = nonEmptyListOf(renditions, "renditions");
        if (renditions.stream().anyMatch(Rendition::growing)) {
            throw new IllegalArgumentException("renditions of a completed transcode must be complete, not growing");
        }
        for (int i = 1; i < renditions.size(); i++) {
            if (renditions.get(i).bandwidth() < renditions.get(i - 1).bandwidth()) {
                throw new IllegalArgumentException("renditions must be ordered lowest bandwidth first");
            }
        }
        nonBlank(posterKey, "posterKey");
        nonNegative(elapsedMillis, "elapsedMillis");
    }
}
