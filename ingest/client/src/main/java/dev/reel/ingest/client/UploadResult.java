package dev.reel.ingest.client;

import java.net.URI;

/**
 * An accepted upload: the video exists and its {@code video.uploaded} event is written.
 *
 * @param videoId   the new video
 * @param uploadUrl the tus upload it came through
 * @param statusUrl where its state can be followed (the catalog API)
 * @param watchUrl  its watch page
 */
public record UploadResult(String videoId, URI uploadUrl, String statusUrl, String watchUrl) {
}
