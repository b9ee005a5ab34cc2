package dev.reel.service.storage;

import java.time.Instant;
import java.util.Map;

/**
 * What storage says about an object without reading it.
 *
 * @param key          the object key
 * @param size         its size in bytes
 * @param userMetadata the user metadata it was written with ({@code x-amz-meta-*}, names in lower case)
 * @param etag         the storage's entity tag (quotes removed), or {@code null}
 * @param lastModified when it was stored
 */
public record ObjectInfo(String key, long size, Map<String, String> userMetadata, String etag, Instant lastModified) {

    public ObjectInfo {
        userMetadata = Map.copyOf(userMetadata);
    }
}
