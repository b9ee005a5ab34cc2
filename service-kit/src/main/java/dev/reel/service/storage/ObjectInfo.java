package dev.reel.service.storage;

import java.util.Map;

/**
 * What storage says about an object without reading it.
 *
 * @param key          the object key
 * @param size         its size in bytes
 * @param userMetadata the user metadata it was written with ({@code x-amz-meta-*}, names in lower case)
 */
public record ObjectInfo(String key, long size, Map<String, String> userMetadata) {

    public ObjectInfo {
        userMetadata = Map.copyOf(userMetadata);
    }
}
