package dev.reel.testkit;

import dev.reel.cluster.S3Endpoint;

/**
 * What a test needs to reach the shared real cluster.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param s3               the S3-compatible server (S3Proxy, MinIO) and its credentials
 * @param bucket           a bucket that exists
 */
public record ClusterEndpoints(String bootstrapServers, S3Endpoint s3, String bucket) {
}
