package dev.reel.ingest.client;

/**
 * What to tell ingest about a video being uploaded.
 *
 * @param title       required by the server unless a filename is given (its stem becomes the title)
 * @param description may be {@code null}
 * @param visibility  {@code public}, {@code unlisted} or {@code private}; {@code null} for the default (public)
 * @param filename    the file's name, informational only; may be {@code null}
 */
public record UploadRequest(String title, String description, String visibility, String filename) {
}
