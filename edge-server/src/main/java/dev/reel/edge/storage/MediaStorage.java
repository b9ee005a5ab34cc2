package dev.reel.edge.storage;

import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import dev.reel.service.storage.StoredObject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Whole-object reads from object storage, counted and timed: {@code reel_edge_storage_reads_total} is how the
 * single-flight guarantee is observed (N concurrent misses, one read).
 */
public class MediaStorage {

    private final ObjectStorage storage;
    private final Counter reads;
    private final Counter failures;
    private final Counter bytesRead;
    private final Timer latency;

    /** @param storage the gateway, with no retry budget: a viewer's player retries, and HAProxy on another edge */
    public MediaStorage(ObjectStorage storage, MeterRegistry registry) {
        this.storage = storage;
        this.reads = Counter.builder("reel.edge.storage.reads").description("object reads from storage").register(registry);
        this.failures = Counter.builder("reel.edge.storage.read.failures").description("reads that failed").register(registry);
        this.bytesRead = Counter.builder("reel.edge.storage.read.bytes").baseUnit("bytes").register(registry);
        this.latency = Timer.builder("reel.edge.storage.fetch.latency").description("time to read an object whole")
                .publishPercentileHistogram().register(registry);
    }

    /**
     * Reads an object whole (segments are a few MB at most, so whole-object caching is the unit); its {@code etag} is
     * the entity tag the edge sends, made once here rather than on every request.
     *
     * @throws UncheckedIOException around a {@link StorageException}, {@linkplain StorageException#isNotFound() not
     *                              found} when there is no such object
     */
    public StoredObject read(String key) {
        reads.increment();
        Timer.Sample sample = Timer.start();
        try {
            StoredObject object = storage.read(key)
                    .orElseThrow(() -> new StorageException(StorageException.Kind.NOT_FOUND, "no object " + key, null));
            bytesRead.increment(object.size());
            return new StoredObject(key, object.bytes(), entityTag(object), object.lastModified());
        } catch (StorageException e) {
            failures.increment();
            throw new UncheckedIOException(e);
        } finally {
            sample.stop(latency);
        }
    }

    /** Whether a failed {@link #read} found no object (a 404 for the viewer, never cached) rather than no storage. */
    public static boolean isNotFound(Throwable failure) {
        return failure instanceof UncheckedIOException unchecked && unchecked.getCause() instanceof StorageException e
                && e.isNotFound();
    }

    /**
     * The storage ETag as an HTTP entity tag of letters and digits only: Jetty's matching of {@code If-None-Match}
     * treats {@code -} specially (it marks encoded variants), and multipart ETags such as {@code abc-3} have one.
     */
    private static String entityTag(StoredObject object) {
        String etag = object.etag() == null ? Integer.toHexString(Arrays.hashCode(object.bytes())) : object.etag();
        return "\"" + etag.replaceAll("[^A-Za-z0-9]", "x") + "\"";
    }
}
