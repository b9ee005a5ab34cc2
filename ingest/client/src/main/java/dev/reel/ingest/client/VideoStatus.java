package dev.reel.ingest.client;

/**
 * A video's state as the catalog reports it ({@code GET /api/catalog/videos/{id}}).
 *
 * @param state           UPLOADED, TRANSCODING, PLAYABLE, READY, FAILED or DELETED
 * @param progressPercent transcode progress, 0 to 100
 * @param failureReason   why transcoding failed, or {@code null}
 */
public record VideoStatus(String videoId, String state, double progressPercent, String failureReason) {

    public boolean isFailed() {
        return "FAILED".equals(state) || "DELETED".equals(state);
    }
}
