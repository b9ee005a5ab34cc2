package dev.reel.service.storage;

import java.time.Instant;

/**
 * One object read whole, with what HTTP validators are made of.
 *
 * @param key          the object key
 * @param bytes        its content (never modified after the read)
 * @param etag         the ETag header as storage sent it (quoted), or {@code null}
 * @param lastModified when storage last wrote it ({@link Instant#EPOCH} when storage did not say)
 */
public record StoredObject(String key, byte[] bytes, String etag, Instant lastModified) {

    public int size() {
        return bytes.length;
    }
}
