package dev.reel.events;

import static dev.reel.events.Checks.nullOrNonBlank;
import static dev.reel.events.Checks.validVideoId;

/**
 * The creator edited a video's metadata; written by ingest to {@code reel.metadata}. A {@code null} field is
 * unchanged; at least one field changes.
 *
 * @param videoId     the video
 * @param title       the new title, or {@code null} if unchanged
 * @param description the new description (empty clears it), or {@code null} if unchanged
 * @param visibility  the new visibility, or {@code null} if unchanged
 * @param downloads   whether the video may be downloaded (edges' progressive MP4 and M4A), or {@code null} if unchanged
 */
public record VideoMetadataUpdated(String videoId, String title, String description, Visibility visibility, Boolean downloads)
        implements
            EventData {

    public VideoMetadataUpdated {
        validVideoId(videoId);
        nullOrNonBlank(title, "title");
        if (title == null && description == null && visibility == null && downloads == null) {
            throw new IllegalArgumentException("at least one of title, description, visibility, downloads must be set");
        }
    }

    /** An edit that leaves downloads as they are. */
    public VideoMetadataUpdated(String videoId, String title, String description, Visibility visibility) {
        this(videoId, title, description, visibility, null);
    }
}
