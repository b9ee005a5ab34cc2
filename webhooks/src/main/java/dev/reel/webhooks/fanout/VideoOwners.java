package dev.reel.webhooks.fanout;

import dev.reel.events.objects.ObjectKeys;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whose video an event is about. Upload and deletion events name the owner; the others do not, so the owner is read
 * where ingest keeps it, the {@code owner} user metadata of the original, from the moment the upload starts (before
 * any event of the video exists). Owners never change, so answers are remembered (the most recent
 * {@value #REMEMBERED}).
 */
public final class VideoOwners {

    private static final int REMEMBERED = 10_000;

    private final ObjectStorage storage;
    private final Map<String, String> owners = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    public VideoOwners(ObjectStorage storage) {
        this.storage = storage;
    }

    /** Remembers an owner an event named. */
    public synchronized void learn(String videoId, String owner) {
        owners.put(videoId, owner);
    }

    /**
     * @return the owner, or empty when the video's original is gone (deleted)
     * @throws StorageException storage could not say
     */
    public Optional<String> ownerOf(String videoId) throws StorageException {
        synchronized (this) {
            String known = owners.get(videoId);
            if (known != null) {
                return Optional.of(known);
            }
        }
        Optional<String> owner = storage.stat(ObjectKeys.original(videoId))
                .map(info -> info.userMetadata().get(ObjectKeys.OWNER_METADATA));
        owner.ifPresent(o -> learn(videoId, o));
        return owner;
    }
}
