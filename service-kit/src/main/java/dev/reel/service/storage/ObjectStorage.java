package dev.reel.service.storage;

import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.UploadPartArgs;
import io.minio.messages.Item;
import io.minio.messages.Part;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bucket, the one way every Reel service reaches it: whole-object and ranged reads, whole-object writes, stats, listing, presigned
 * reads (for ffmpeg and ffprobe), and multipart uploads. One instance per process (its minio-java client pools
 * connections); thread-safe.
 *
 * <p>One error model ({@link StorageException} and its {@link StorageException.Kind}), and one retry rule: a call that
 * fails because storage is away is retried within the budget the service chose (zero tries once), a refusal is not.
 * A read that finds nothing is an empty {@link Optional}, never an exception.
 */
public final class ObjectStorage implements AutoCloseable {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-\\d{1,18}/(\\d{1,18}|\\*)");

    private final MinioAsyncClient client;
    private final String bucket;
    private final StorageRetry retry;

    /** The bucket of {@code settings}; a call rides out an outage for {@code retryBudget} (zero tries once). */
    public static ObjectStorage connect(S3Settings settings, Duration retryBudget) {
        return new ObjectStorage(settings.asyncClient(), settings.bucket(), retryBudget);
    }

    /** @param client the client; {@link #close()} closes it */
    public ObjectStorage(MinioAsyncClient client, String bucket, Duration retryBudget) {
        this.client = client;
        this.bucket = bucket;
        this.retry = new StorageRetry(retryBudget);
    }

    public String bucket() {
        return bucket;
    }

    /** The whole object, or empty when there is no such key. For objects that fit in memory. */
    public Optional<StoredObject> read(String key) throws StorageException {
        return retry.call("read " + key, () -> {
            try (GetObjectResponse object = join(client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()))) {
                byte[] bytes = object.readAllBytes();
                return Optional.of(new StoredObject(key, bytes, object.headers().get("ETag"), lastModified(object)));
            } catch (Exception e) {
                return notFoundAsEmpty("read " + key, e);
            }
        });
    }

    /**
     * {@code length} bytes of an object from {@code offset}, as a stream the caller reads and closes (for objects too
     * large to hold, served in ranges); empty when there is no such key. Opening is retried as every call is; a stream
     * that breaks later throws {@link java.io.IOException} to its reader.
     */
    public Optional<InputStream> openRange(String key, long offset, long length) throws StorageException {
        return retry.call("read " + key + " from " + offset, () -> {
            try {
                return Optional.<InputStream>of(join(client.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                        .offset(offset).length(length).build())));
            } catch (Exception e) {
                return notFoundAsEmpty("read " + key, e);
            }
        });
    }

    /**
     * The bytes {@code first}-{@code last} (inclusive; {@code last} past the end means to the end) of an object, read
     * with one ranged GET, or empty when there is no such key. A range that starts past the end is {@linkplain
     * StorageException.Kind#REFUSED refused} (S3's {@code InvalidRange}).
     */
    public Optional<StoredRange> readRange(String key, long first, long last) throws StorageException {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
        }
        return retry.call("read " + key + " bytes " + first + "-" + last, () -> {
            try (GetObjectResponse object = join(client.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                    .offset(first).length(last - first + 1).build()))) {
                byte[] bytes = object.readAllBytes();
                return Optional.of(range(key, bytes, object.headers().get("Content-Range"),
                        object.headers().get("ETag"), lastModified(object)));
            } catch (Exception e) {
                return notFoundAsEmpty("read " + key + " bytes " + first + "-" + last, e);
            }
        });
    }

    /**
     * What a ranged GET answered, placed by its {@code Content-Range: bytes a-b/size}; a server that sent none sent
     * the whole object (a server may ignore {@code Range}).
     */
    static StoredRange range(String key, byte[] bytes, String contentRange, String etag, Instant lastModified) {
        Matcher placed = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange.strip());
        if (placed == null || !placed.matches()) {
            return new StoredRange(key, bytes, 0, bytes.length, etag, lastModified);
        }
        long offset = Long.parseLong(placed.group(1));
        long size = placed.group(2).equals("*") ? offset + bytes.length : Long.parseLong(placed.group(2));
        return new StoredRange(key, bytes, offset, size, etag, lastModified);
    }

    private static Instant lastModified(GetObjectResponse object) {
        String lastModified = object.headers().get("Last-Modified");
        if (lastModified == null) {
            return Instant.EPOCH;
        }
        return ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    /** The object as UTF-8 text (a playlist, a session), or empty when there is no such key. */
    public Optional<String> readText(String key) throws StorageException {
        return read(key).map(object -> new String(object.bytes(), StandardCharsets.UTF_8));
    }

    /** Size and user metadata, or empty when there is no such key. */
    public Optional<ObjectInfo> stat(String key) throws StorageException {
        return retry.call("stat " + key, () -> {
            try {
                StatObjectResponse stat = join(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
                Map<String, String> metadata = new HashMap<>();
                stat.userMetadata()
                        .forEach(e -> metadata.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
                return Optional.of(new ObjectInfo(key, stat.size(), metadata,
                        stat.etag() == null ? null : stat.etag().replace("\"", ""),
                        stat.lastModified() == null ? Instant.EPOCH : stat.lastModified().toInstant()));
            } catch (Exception e) {
                return notFoundAsEmpty("stat " + key, e);
            }
        });
    }

    public void put(String key, byte[] bytes, String contentType) throws StorageException {
        retry.call("store " + key, () -> join(client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .data(bytes, bytes.length).contentType(contentType).build())));
    }

    /** Stores a local file; returns its size. */
    public long putFile(String key, Path file, String contentType) throws StorageException {
        return retry.call("store " + key, () -> {
            join(client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString())
                    .contentType(contentType).build()));
            return Files.size(file);
        });
    }

    /** Deletes an object; deleting a missing one is fine (S3 semantics), so deletion is idempotent. */
    public void delete(String key) throws StorageException {
        retry.call("delete " + key,
                () -> join(client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build())));
    }

    /** Keys under a prefix, recursively. */
    public List<String> list(String prefix) throws StorageException {
        return retry.call("list " + prefix, () -> {
            List<String> keys = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true)
                    .build())) {
                keys.add(result.get().objectName());
            }
            return keys;
        });
    }

    /** Deletes every object under a prefix; returns how many there were. Deleting nothing is fine. */
    public int deletePrefix(String prefix) throws StorageException {
        List<String> keys = list(prefix);
        for (String key : keys) {
            delete(key);
        }
        return keys.size();
    }

    /** A URL anyone may GET the object from (with ranges) until it expires: ffprobe and ffmpeg read originals this way. */
    public String presignedGet(String key, Duration validFor) throws StorageException {
        return retry.call("presign " + key, () -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Http.Method.GET).bucket(bucket).object(key).expiry((int) validFor.toSeconds()).build()));
    }

    public boolean bucketExists() throws StorageException {
        return retry.call("find " + bucket, () -> join(client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())));
    }

    /** Starts a multipart upload of {@code key}; {@code metadata} becomes the object's user metadata. */
    public String createMultipartUpload(String key, Map<String, String> metadata) throws StorageException {
        Http.Headers headers = new Http.Headers();
        metadata.forEach((name, value) -> headers.put("x-amz-meta-" + name, value));
        return retry.call("start a multipart upload of " + key, () -> join(client.createMultipartUpload(
                CreateMultipartUploadArgs.builder().bucket(bucket).object(key).headers(headers).build())).result().uploadId());
    }

    /**
     * Stores one part, asynchronously so a writer can read the next part while this one travels. Not retried here: the
     * writer decides (it holds the bytes). The future fails with a {@link StorageException}.
     */
    public CompletableFuture<CompletedPart> uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
        String what = "store part " + partNumber + " of " + key;
        return client.uploadPart(UploadPartArgs.builder().bucket(bucket).object(key).uploadId(uploadId).partNumber(partNumber)
                .data(data, length).build())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new CompletionException(StorageException.of(what, failure));
                    }
                    return new CompletedPart(partNumber, response.part().etag(), length);
                });
    }

    public void completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts) throws StorageException {
        Part[] s3Parts = parts.stream().map(p -> new Part(p.number(), p.etag())).toArray(Part[]::new);
        retry.call("complete the multipart upload of " + key, () -> join(client.completeMultipartUpload(
                CompleteMultipartUploadArgs.builder().bucket(bucket).object(key).uploadId(uploadId).parts(s3Parts).build())));
    }

    /** Aborts a multipart upload; one that is already gone (completed or aborted) is fine. */
    public void abortMultipartUpload(String key, String uploadId) throws StorageException {
        retry.call("abort the multipart upload of " + key, () -> {
            try {
                join(client.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(bucket).object(key)
                        .uploadId(uploadId).build()));
            } catch (Exception e) {
                notFoundAsEmpty("abort the multipart upload of " + key, e);
            }
            return null;
        });
    }

    @Override
    public void close() {
        client.close();
    }

    /** The result of a future, with its failure unwrapped for {@link StorageException#of}. */
    private static <T> T join(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // so the retry rule stops at once
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Empty for "no such key", else the failure for the retry rule to judge. */
    private static <T> Optional<T> notFoundAsEmpty(String what, Exception failure) throws StorageException {
        StorageException classified = StorageException.of(what, failure);
        if (classified.isNotFound()) {
            return Optional.empty();
        }
        throw classified;
    }
}
