package dev.reel.cluster;

import io.minio.MinioAsyncClient;
import io.minio.MinioClient;

/** How to reach an S3-compatible server: what every Reel service and test gets, whatever runs behind it. */
public record S3Endpoint(String url, String accessKey, String secretKey, String region) {

    public static final String DEFAULT_REGION = "us-east-1";

    public S3Endpoint {
        if (url == null || !url.matches("https?://.+")) {
            throw new IllegalArgumentException("S3 endpoint must be an http(s) URL, got " + url);
        }
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("S3 credentials must not be blank");
        }
    }

    /** A client for this endpoint; the region is fixed so the client never asks the server for bucket locations. */
    public MinioClient client() {
        return MinioClient.builder().endpoint(url).credentials(accessKey, secretKey).region(region).build();
    }

    /** The asynchronous client, which also exposes the multipart primitives (create, upload part, complete, abort). */
    public MinioAsyncClient asyncClient() {
        return MinioAsyncClient.builder().endpoint(url).credentials(accessKey, secretKey).region(region).build();
    }

    @Override
    public String toString() {
        return "S3Endpoint[" + url + ", accessKey=" + accessKey + ", region=" + region + "]";
    }
}
