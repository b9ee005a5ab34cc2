package dev.reel.service.storage;

import dev.reel.service.config.Env;
import io.minio.MinioAsyncClient;
import java.net.URI;
import java.time.Duration;

/**
 * How a service reaches object storage (MinIO, S3Proxy, AWS S3), always through minio-java.
 *
 * @param endpoint  {@code REEL_S3_ENDPOINT} (required), e.g. http://127.0.0.1:9000
 * @param accessKey {@code REEL_S3_ACCESS_KEY} (required)
 * @param secretKey {@code REEL_S3_SECRET_KEY} (required)
 * @param region    {@code REEL_S3_REGION}, default us-east-1
 * @param bucket    {@code REEL_S3_BUCKET}, default reel
 * @param timeout   {@code REEL_S3_TIMEOUT}, default 10s (a service may choose a shorter default): connect, and each
 *                  read or write on a connection. minio-java's own default is 5 minutes, which turns a frozen storage
 *                  server into requests hanging that long instead of a clear error to retry or answer with 503.
 */
public record S3Settings(URI endpoint, String accessKey, String secretKey, String region, String bucket, Duration timeout) {

    public static S3Settings from(Env env) {
        return from(env, Duration.ofSeconds(10));
    }

    public static S3Settings from(Env env, Duration defaultTimeout) {
        return new S3Settings(env.url("REEL_S3_ENDPOINT", null), env.required("REEL_S3_ACCESS_KEY"),
                env.required("REEL_S3_SECRET_KEY"), env.string("REEL_S3_REGION", "us-east-1"),
                env.string("REEL_S3_BUCKET", "reel"),
                env.duration("REEL_S3_TIMEOUT", defaultTimeout));
    }

    /** The asynchronous client, which also has the multipart primitives. */
    public MinioAsyncClient asyncClient() {
        MinioAsyncClient client = MinioAsyncClient.builder().endpoint(endpoint.toString()).credentials(accessKey, secretKey)
                .region(region).build();
        client.setTimeout(timeout.toMillis(), timeout.toMillis(), timeout.toMillis());
        return client;
    }

    @Override
    public String toString() {
        return "S3Settings[" + endpoint + ", bucket=" + bucket + ", accessKey=" + accessKey + "]";
    }
}
