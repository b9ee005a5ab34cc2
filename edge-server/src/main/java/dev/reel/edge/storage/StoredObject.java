package dev.reel.edge.storage;

import java.time.Instant;

/**
 * One object read whole from storage, with the validators an HTTP response needs.
 *
 * @param key          the object key
 * @param bytes        its content (never modified after construction)
 * @param etag         the storage ETag, quoted as HTTP wants it
 * @param lastModified when storage last wrote it
 */
public record StoredObject(String key, byte[] bytes, String etag, Instant lastModified) {

    public int size() {
        return bytes.length;
    }
}
