package dev.reel.transcoder.storage;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;

/** The bucket the transcoder reads originals from and writes media to. */
public final class ObjectStore {

    private final MinioClient client;
    private final String bucket;
    private final LongConsumer bytesWritten;
    private final StorageRetry retry;

    /**
     * @param bytesWritten told the size of every object stored (for the bytes-written metric)
     * @param retry        how long a call rides out a storage outage
     */
    public ObjectStore(MinioClient client, String bucket, LongConsumer bytesWritten, StorageRetry retry) {
        this.client = client;
        this.bucket = bucket;
        this.bytesWritten = bytesWritten;
        this.retry = retry;
    }

    /**
     * Waits (within the retry budget) until the object can be read: run before probing the original, so storage
     * being away is not mistaken for an unplayable upload.
     */
    public void awaitReadable(String key) throws IOException {
        retry.call("read " + key, () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    /** A URL ffmpeg can read the object from, with HTTP range requests, until it expires. */
    public String presignedGet(String key, Duration validFor) throws IOException {
        try {
            return client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.GET).bucket(bucket).object(key).expiry((int) validFor.toSeconds()).build());
        } catch (Exception e) {
            throw new IOException("cannot presign " + key + ": " + e.getMessage(), e);
        }
    }

    /** The text of a small object (a playlist), or empty when there is no such object. */
    public Optional<String> readText(String key) throws IOException {
        return retry.call("read " + key, () -> {
            try (GetObjectResponse object = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return Optional.of(new String(object.readAllBytes(), StandardCharsets.UTF_8));
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())) {
                    return Optional.<String>empty();
                }
                throw e;
            }
        });
    }

    /** Stores a local file under {@code key}. */
    public void putFile(Path file, String key, String contentType) throws IOException {
        long size = Files.size(file);
        retry.call("store " + key, () -> client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key)
                .filename(file.toString()).contentType(contentType).build()));
        bytesWritten.accept(size);
    }

    /** Stores bytes under {@code key}. */
    public void putBytes(byte[] bytes, String key, String contentType) throws IOException {
        retry.call("store " + key, () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).contentType(contentType).build()));
        bytesWritten.accept(bytes.length);
    }
}
