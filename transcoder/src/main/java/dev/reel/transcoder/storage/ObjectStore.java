package dev.reel.transcoder.storage;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.Http;
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

    /**
     * @param bytesWritten told the size of every object stored (for the bytes-written metric)
     */
    public ObjectStore(MinioClient client, String bucket, LongConsumer bytesWritten) {
        this.client = client;
        this.bucket = bucket;
        this.bytesWritten = bytesWritten;
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
        try (GetObjectResponse object = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return Optional.of(new String(object.readAllBytes(), StandardCharsets.UTF_8));
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw new IOException("cannot read " + key + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IOException("cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    /** Stores a local file under {@code key}. */
    public void putFile(Path file, String key, String contentType) throws IOException {
        long size = Files.size(file);
        try {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString())
                    .contentType(contentType).build());
        } catch (Exception e) {
            throw new IOException("cannot store " + key + ": " + e.getMessage(), e);
        }
        bytesWritten.accept(size);
    }

    /** Stores bytes under {@code key}. */
    public void putBytes(byte[] bytes, String key, String contentType) throws IOException {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).contentType(contentType).build());
        } catch (Exception e) {
            throw new IOException("cannot store " + key + ": " + e.getMessage(), e);
        }
        bytesWritten.accept(bytes.length);
    }
}
