package dev.reel.events;

import static dev.reel.events.Checks.nonNull;
import static dev.reel.events.Checks.validVideoId;

/**
 * One rendition is completely in object storage and can be played; written to {@code reel.transcode}, lowest
 * rendition first, so a video plays before its whole ladder is done.
 *
 * @param videoId   the video
 * @param rendition the finished rendition
 */
public record RenditionReady(String videoId, Rendition rendition) implements EventData {

    public RenditionReady {
        validVideoId(videoId);
        nonNull(rendition, "rendition");
    }
}
