package dev.reel.ingest.storage;

import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadPartArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.minio.messages.Part;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The bucket as ingest uses it: multipart uploads, small objects (sessions, staged tails), presigned reads for
 * ffprobe, and prefix deletion. A thin layer over minio-java that turns its checked exceptions into
 * {@link StorageException} and "no such key" into an empty result.
 */
public final class ObjectStore implements AutoCloseable {

    private static final int PRESIGN_MINUTES = 15;

    private final MinioAsyncClient client;
    private final String bucket;

    public ObjectStore(MinioAsyncClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** Starts a multipart upload of {@code key}; {@code metadata} becomes the object's user metadata. */
    public String createMultipartUpload(String key, Map<String, String> metadata) {
        Http.Headers headers = new Http.Headers();
        metadata.forEach((name, value) -> headers.put("x-amz-meta-" + name, value));
        return join(client
                .createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(bucket).object(key).headers(headers).build()))
                .result().uploadId();
    }

    public CompletableFuture<CompletedPart> uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
        return client.uploadPart(UploadPartArgs.builder().bucket(bucket).object(key).uploadId(uploadId).partNumber(partNumber)
                .data(data, length).build())
                .thenApply(response -> new CompletedPart(partNumber, response.part().etag(), length));
    }

    public void completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts) {
        Part[] s3Parts = parts.stream().map(p -> new Part(p.number(), p.etag())).toArray(Part[]::new);
        join(client.completeMultipartUpload(CompleteMultipartUploadArgs.builder().bucket(bucket).object(key).uploadId(uploadId)
                .parts(s3Parts).build()));
    }

    /** Aborts a multipart upload; one that is already gone (completed or aborted) is fine. */
    public void abortMultipartUpload(String key, String uploadId) {
        try {
            join(client.abortMultipartUpload(
                    AbortMultipartUploadArgs.builder().bucket(bucket).object(key).uploadId(uploadId).build()));
        } catch (StorageException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    public void put(String key, byte[] data, int length, String contentType) {
        join(client.putObject(
                PutObjectArgs.builder().bucket(bucket).object(key).data(data, length).contentType(contentType).build()));
    }

    /** The whole object, or empty when there is no such key. Only for small objects (sessions, tails). */
    public Optional<byte[]> get(String key) {
        try (InputStream in = join(client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()))) {
            return Optional.of(in.readAllBytes());
        } catch (StorageException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        } catch (java.io.IOException e) {
            throw new StorageException("could not read " + key, e);
        }
    }

    /** Size and user metadata of an object, or empty when there is no such key. */
    public Optional<StatObjectResponse> stat(String key) {
        try {
            return Optional.of(join(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build())));
        } catch (StorageException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void delete(String key) {
        join(client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    /** Keys under a prefix, recursively. */
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> result : client
                    .listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                keys.add(result.get().objectName());
            }
        } catch (Exception e) {
            throw new StorageException("could not list " + prefix, e);
        }
        return keys;
    }

    /** Deletes every object under a prefix; returns how many there were. Deleting nothing is fine (idempotent). */
    public int deletePrefix(String prefix) {
        List<String> keys = list(prefix);
        for (String key : keys) {
            delete(key);
        }
        return keys.size();
    }

    /** A URL anyone can GET the object with for a few minutes, so ffprobe reads it without credentials or a local copy. */
    public String presignedGet(String key) {
        try {
            return client
                    .getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Http.Method.GET).bucket(bucket).object(key)
                            .expiry(PRESIGN_MINUTES, TimeUnit.MINUTES).build());
        } catch (Exception e) {
            throw new StorageException("could not presign " + key, e);
        }
    }

    public boolean bucketExists() {
        return join(client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted", e);
        } catch (ExecutionException e) {
            throw StorageException.from(e.getCause());
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** An object storage call failed; {@link #isNotFound()} tells a missing key or upload from an outage. */
    public static final class StorageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StorageException(String message, Throwable cause) {
            super(message + ": " + cause, cause);
        }

        static StorageException from(Throwable cause) {
            return cause instanceof StorageException s ? s : new StorageException("object storage call failed", cause);
        }

        public boolean isNotFound() {
            return getCause() instanceof ErrorResponseException e && e.errorResponse() != null
                    && switch (e.errorResponse().code()) {
                        case "NoSuchKey", "NoSuchUpload", "NoSuchObject" -> true;
                        default -> false;
                    };
        }
    }
}
