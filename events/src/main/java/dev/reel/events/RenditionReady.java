package dev.reel.events;

import static dev.reel.events.Checks.nonNull;
import static dev.reel.events.Checks.validVideoId;

/**
 * One rendition is in object storage and can be played; written to {@code reel.transcode}, lowest rendition first,
 * so a video plays before its whole ladder is done. A transcoder writes it once per rendition while the rendition is
 * still {@linkplain Rendition#growing() growing} (as soon as a viewer starting then would not catch up with the
 * encoder), and once more when the rendition is complete. The growing playlist gains segments in storage without
 * further events.
 *
 * @param videoId   the video
 * @param rendition the rendition, growing or complete
 */
public record RenditionReady(String videoId, Rendition rendition) implements EventData {

    public RenditionReady {
        validVideoId(videoId);
        nonNull(rendition, "rendition");
    }
}
