package dev.reel.ingest.videos;

import dev.reel.events.objects.ObjectKeys;
import dev.reel.ingest.upload.VideoIds;
import dev.reel.service.http.ApiException;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Who owns a video: the {@code owner} user metadata on its original, written when the upload started. Ingest keeps
 * no other state about videos; a video whose original is gone (deleted) is unknown here.
 */
public final class VideoOwners {

    private final ObjectStorage storage;

    public VideoOwners(ObjectStorage storage) {
        this.storage = storage;
    }

    /**
     * @throws ApiException     404 for an unknown video and for another owner's video (the same answer, so an id says
     *                          nothing about a video its caller does not own)
     * @throws StorageException storage could not say
     */
    public void requireOwner(String videoId, String owner) throws StorageException {
        if (!VideoIds.isWellFormed(videoId)) {
            throw new ApiException(HttpStatus.NOT_FOUND_404, "no such video");
        }
        String actual = storage.stat(ObjectKeys.original(videoId))
                .map(info -> info.userMetadata().get(ObjectKeys.OWNER_METADATA))
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND_404, "no such video"));
        if (!owner.equals(actual)) {
            throw new ApiException(HttpStatus.NOT_FOUND_404, "no such video");
        }
    }
}
