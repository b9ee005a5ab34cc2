package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonEmptyListOf;
import static dev.reel.events.Checks.positive;
import static dev.reel.events.Checks.urlSafeName;
import static dev.reel.events.Checks.validVideoId;

import java.util.List;

/**
 * A transcoder worker started an attempt; written to {@code reel.transcode}.
 *
 * @param videoId    the video
 * @param worker     the worker instance
 * @param attempt    1 for the first attempt, incremented on each redelivery
 * @param renditions names of the planned renditions, lowest first, e.g. {@code 240p}
 */
public record TranscodeStarted(String videoId, String worker, int attempt, List<String> renditions)
        implements
            EventData {

    public TranscodeStarted {
        validVideoId(videoId);
        nonBlank(worker, "worker");
        positive(attempt, "attempt");
        renditions = nonEmptyListOf(renditions, "renditions");
        renditions.forEach(name -> urlSafeName(name, "rendition name"));
    }
}
