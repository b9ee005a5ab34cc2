package dev.reel.service.storage;

import dev.reel.service.config.Env;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import java.net.URI;

/**
 * How a service reaches object storage (MinIO, S3Proxy, AWS S3), always through minio-java.
 *
 * @param endpoint  {@code REEL_S3_ENDPOINT} (required), e.g. http://127.0.0.1:9000
 * @param accessKey {@code REEL_S3_ACCESS_KEY} (required)
 * @param secretKey {@code REEL_S3_SECRET_KEY} (required)
 * @param region    {@code REEL_S3_REGION}, default us-east-1
 * @param bucket    {@code REEL_S3_BUCKET}, default reel
 */
public record S3Settings(URI endpoint, String accessKey, String secretKey, String region, String bucket) {

    public static S3Settings from(Env env) {
        return new S3Settings(env.url("REEL_S3_ENDPOINT", null), env.required("REEL_S3_ACCESS_KEY"),
                env.required("REEL_S3_SECRET_KEY"), env.string("REEL_S3_REGION", "us-east-1"), env.string("REEL_S3_BUCKET", "reel"));
    }

    /** One client per process: it pools connections. The region is fixed so no location lookup is made. */
    public MinioClient client() {
        return MinioClient.builder().endpoint(endpoint.toString()).credentials(accessKey, secretKey).region(region).build();
    }

    /** The asynchronous client, which also has the multipart primitives. */
    public MinioAsyncClient asyncClient() {
        return MinioAsyncClient.builder().endpoint(endpoint.toString()).credentials(accessKey, secretKey).region(region).build();
    }

    @Override
    public String toString() {
        return "S3Settings[" + endpoint + ", bucket=" + bucket + ", accessKey=" + accessKey + "]";
    }
}
