package dev.reel.edge.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Whole-object reads from object storage, counted and timed: {@code reel_edge_storage_reads_total} is how the
 * single-flight guarantee is observed (N concurrent misses, one read).
 */
public class MediaStorage {

    private final MinioClient client;
    private final String bucket;
    private final Counter reads;
    private final Counter failures;
    private final Counter bytesRead;
    private final Timer latency;

    public MediaStorage(MinioClient client, String bucket, MeterRegistry registry) {
        this.client = client;
        this.bucket = bucket;
        this.reads = Counter.builder("reel.edge.storage.reads").description("object reads from storage").register(registry);
        this.failures = Counter.builder("reel.edge.storage.read.failures").description("reads that failed").register(registry);
        this.bytesRead = Counter.builder("reel.edge.storage.read.bytes").baseUnit("bytes").register(registry);
        this.latency = Timer.builder("reel.edge.storage.fetch.latency").description("time to read an object whole")
                .publishPercentileHistogram().register(registry);
    }

    /**
     * Reads an object whole (segments are a few MB at most, so whole-object caching is the unit).
     *
     * @throws ObjectNotFoundException when there is no such object
     * @throws UncheckedIOException    when storage cannot be read
     */
    public StoredObject read(String key) {
        reads.increment();
        Timer.Sample sample = Timer.start();
        try (GetObjectResponse response = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            byte[] bytes = response.readAllBytes();
            bytesRead.increment(bytes.length);
            String etag = response.headers().get("ETag");
            String lastModified = response.headers().get("Last-Modified");
            return new StoredObject(key, bytes,
                    quoted(etag == null ? Integer.toHexString(java.util.Arrays.hashCode(bytes)) : etag),
                    lastModified == null
                            ? Instant.EPOCH
                            : ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (ErrorResponseException e) {
            failures.increment();
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                throw new ObjectNotFoundException(key);
            }
            throw new UncheckedIOException(new IOException("storage refused " + key + ": " + e.errorResponse().code(), e));
        } catch (IOException e) {
            failures.increment();
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            failures.increment();
            throw new UncheckedIOException(new IOException("could not read " + key + ": " + e, e));
        } finally {
            sample.stop(latency);
        }
    }

    /**
     * The storage ETag as an HTTP entity tag of letters and digits only: Jetty's matching of {@code If-None-Match}
     * treats {@code -} specially (it marks encoded variants), and multipart ETags such as {@code abc-3} have one.
     */
    private static String quoted(String etag) {
        return "\"" + etag.replaceAll("[^A-Za-z0-9]", "x") + "\"";
    }
}
