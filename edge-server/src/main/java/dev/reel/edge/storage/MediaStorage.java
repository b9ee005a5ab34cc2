package dev.reel.edge.storage;

import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import dev.reel.service.storage.StoredObject;
import dev.reel.service.storage.StoredRange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads from object storage, counted and timed: whole objects for the cache ({@code reel_edge_storage_reads_total} is
 * how the single-flight guarantee is observed: N concurrent misses, one read), and single ranges of objects the cache
 * does not hold ({@code reel_edge_storage_ranged_reads_total}).
 */
public class MediaStorage {

    private final ObjectStorage storage;
    private final Counter reads;
    private final Counter rangedReads;
    private final Counter failures;
    private final Counter bytesRead;
    private final Timer latency;

    /** @param storage the gateway, with no retry budget: a viewer's player retries, and HAProxy on another edge */
    public MediaStorage(ObjectStorage storage, MeterRegistry registry) {
        this.storage = storage;
        this.reads = Counter.builder("reel.edge.storage.reads").description("object reads from storage").register(registry);
        this.rangedReads = Counter.builder("reel.edge.storage.ranged.reads")
                .description("reads of one range of an object the cache did not hold").register(registry);
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
            return new StoredObject(key, object.bytes(), entityTag(object.etag(), object.bytes()), object.lastModified());
        } catch (StorageException e) {
            failures.increment();
            throw new UncheckedIOException(e);
        } finally {
            sample.stop(latency);
        }
    }

    /**
     * Reads bytes {@code first}-{@code last} of an object alone; the range's {@code etag} is the entity tag a whole
     * read of the object gives.
     *
     * @throws UncheckedIOException around a {@link StorageException}: not found, or refused for a range that starts
     *                              past the end
     */
    public StoredRange readRange(String key, long first, long last) {
        rangedReads.increment();
        Timer.Sample sample = Timer.start();
        try {
            StoredRange part = storage.readRange(key, first, last)
                    .orElseThrow(() -> new StorageException(StorageException.Kind.NOT_FOUND, "no object " + key, null));
            bytesRead.increment(part.bytes().length);
            return new StoredRange(key, part.bytes(), part.offset(), part.objectSize(),
                    entityTag(part.etag(), (key + "/" + part.objectSize() + "/" + part.lastModified()).getBytes(
                            StandardCharsets.UTF_8)),
                    part.lastModified());
        } catch (StorageException e) {
            failures.increment();
            throw new UncheckedIOException(e);
        } finally {
            sample.stop(latency);
        }
    }

    /** What a future failed with: the cause a {@link java.util.concurrent.CompletionException} wraps, or the failure. */
    public static Throwable cause(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
    }

    /** Whether a failed {@link #read} found no object (a 404 for the viewer, never cached) rather than no storage. */
    public static boolean isNotFound(Throwable failure) {
        return failure instanceof UncheckedIOException unchecked && unchecked.getCause() instanceof StorageException e
                && e.isNotFound();
    }

    /** Whether a failed read was refused (a range past the end of its object) rather than found nothing or no storage. */
    public static boolean isRefused(Throwable failure) {
        return failure instanceof UncheckedIOException unchecked && unchecked.getCause() instanceof StorageException e
                && e.kind() == StorageException.Kind.REFUSED;
    }

    /**
     * The storage ETag as an HTTP entity tag of letters and digits only: Jetty's matching of {@code If-None-Match}
     * treats {@code -} specially (it marks encoded variants), and multipart ETags such as {@code abc-3} have one. Made of
     * a hash of {@code fallback} when storage sent none.
     */
    private static String entityTag(String storageEtag, byte[] fallback) {
        String etag = storageEtag == null ? Integer.toHexString(Arrays.hashCode(fallback)) : storageEtag;
        return "\"" + etag.replaceAll("[^A-Za-z0-9]", "x") + "\"";
    }
}
