package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.urlSafeName;
import static dev.reel.events.Checks.validVideoId;

/**
 * An edge answered a request for a file of a rendition; written to {@code reel.playback}.
 *
 * @param videoId       the video
 * @param edge          the edge instance
 * @param rendition     the rendition name
 * @param file          the file within the rendition, e.g. {@code seg-00001.m4s}
 * @param bytes         bytes sent (less than the file for a Range request)
 * @param cacheHit      whether the edge's cache had the object
 * @param latencyMicros time to serve the response
 */
public record SegmentServed(
        String videoId, String edge, String rendition, String file, long bytes, boolean cacheHit, long latencyMicros)
        implements
            EventData {

    public SegmentServed {
        validVideoId(videoId);
        nonBlank(edge, "edge");
        urlSafeName(rendition, "rendition");
        nonBlank(file, "file");
        nonNegative(bytes, "bytes");
        nonNegative(latencyMicros, "latencyMicros");
    }
}
