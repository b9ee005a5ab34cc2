package dev.reel.ingest.videos;

import dev.reel.ingest.http.ApiException;
import dev.reel.ingest.storage.ObjectKeys;
import dev.reel.ingest.storage.ObjectStore;
import dev.reel.ingest.upload.VideoIds;

/**
 * Who owns a video: the {@code owner} user metadata on its original, written when the upload started. Ingest keeps
 * no other state about videos; a video whose original is gone (deleted) is unknown here.
 */
public final class VideoOwners {

    private final ObjectStore store;

    public VideoOwners(ObjectStore store) {
        this.store = store;
    }

    /**
     * @throws ApiException 404 for an unknown video, 403 when {@code owner} is not its owner
     */
    public void requireOwner(String videoId, String owner) {
        if (!VideoIds.isWellFormed(videoId)) {
            throw new ApiException(404, "no such video");
        }
        String actual = store.stat(ObjectKeys.original(videoId))
                .map(stat -> stat.userMetadata().getFirst("owner"))
                .orElseThrow(() -> new ApiException(404, "no such video"));
        if (!owner.equals(actual)) {
            throw new ApiException(403, "this video belongs to another user");
        }
    }
}
