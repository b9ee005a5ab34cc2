package dev.reel.service.storage;

import java.time.Instant;

/**
 * One byte range of an object, read without reading the rest, with the whole object's size and validators.
 *
 * @param key          the object key
 * @param bytes        the range's content (never modified after the read)
 * @param offset       where in the object the range starts
 * @param objectSize   the whole object's size
 * @param etag         the object's ETag header as storage sent it (quoted), or {@code null}
 * @param lastModified when storage last wrote the object ({@link Instant#EPOCH} when storage did not say)
 */
public record StoredRange(String key, byte[] bytes, long offset, long objectSize, String etag, Instant lastModified) {
}
