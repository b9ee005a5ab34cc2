package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonEmptyListOf;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.nullOrNonBlank;
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
 * @param storyboardKey object key of the storyboard's WebVTT file (its sprite is stored beside it), or {@code null}
 *                      when the video has none
 */
public record TranscodeCompleted(
        String videoId, String worker, List<Rendition> renditions, String posterKey, long elapsedMillis,
        String storyboardKey)
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
        nullOrNonBlank(storyboardKey, "storyboardKey");
    }

    /** A completed transcode without a storyboard. */
    public TranscodeCompleted(String videoId, String worker, List<Rendition> renditions, String posterKey,
            long elapsedMillis) {
        this(videoId, worker, renditions, posterKey, elapsedMillis, null);
    }
}
