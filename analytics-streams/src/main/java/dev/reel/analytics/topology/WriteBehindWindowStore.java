package dev.reel.analytics.topology;

import dev.reel.analytics.metrics.Metrics;
import java.time.Instant;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * A window store of figures, written when the task commits ({@link WriteBehindStore}). The processor reads and writes
 * buckets with {@link #current}, {@link #put} and {@link #fetchAllCurrent}; queries use the {@link ReadOnlyWindowStore}
 * methods, which give the buckets as of the task's last commit.
 */
final class WriteBehindWindowStore
        extends
            WriteBehindStore<WindowStore<String, Metrics>, WriteBehindWindowStore.Bucket, String, Metrics>
        implements
            ReadOnlyWindowStore<String, Metrics> {

    record Bucket(String key, long start) {
    }

    private WriteBehindWindowStore(WindowStore<String, Metrics> inner) {
        super(inner);
    }

    static StoreBuilder<WriteBehindWindowStore> builder(StoreBuilder<WindowStore<String, Metrics>> inner) {
        return new Builder<>(inner) {
            @Override
            public WriteBehindWindowStore build() {
                return new WriteBehindWindowStore(this.inner.build());
            }
        };
    }

    /** The bucket's current figures, pending ones included, or {@code null}. Stream thread only. */
    Metrics current(String key, long start) {
        Metrics metrics = pending(new Bucket(key, start));
        return metrics != null ? metrics : wrapped().fetch(key, start);
    }

    /** Makes {@code metrics} the bucket's figures, written at the commit with any change made to it until then. */
    void put(String key, long start, Metrics metrics) {
        keep(new Bucket(key, start), metrics);
    }

    /** Every bucket starting within {@code [from, to]}, the pending ones included (written down first). Stream thread only. */
    KeyValueIterator<Windowed<String>, Metrics> fetchAllCurrent(long from, long to) {
        writePending();
        return wrapped().fetchAll(from, to);
    }

    @Override
    void writeDown(Bucket bucket, Metrics metrics) {
        wrapped().put(bucket.key(), metrics, bucket.start());
    }

    // Queries: the layers underneath, as of the last commit.

    @Override
    public Metrics fetch(String key, long time) {
        return wrapped().fetch(key, time);
    }

    @Override
    public WindowStoreIterator<Metrics> fetch(String key, Instant timeFrom, Instant timeTo) {
        return wrapped().fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<Metrics> backwardFetch(String key, Instant timeFrom, Instant timeTo) {
        return wrapped().backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, Metrics> fetch(String keyFrom, String keyTo, Instant timeFrom,
            Instant timeTo) {
        return wrapped().fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, Metrics> backwardFetch(String keyFrom, String keyTo, Instant timeFrom,
            Instant timeTo) {
        return wrapped().backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, Metrics> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Windowed<String>, Metrics> backwardAll() {
        return wrapped().backwardAll();
    }

    @Override
    public KeyValueIterator<Windowed<String>, Metrics> fetchAll(Instant timeFrom, Instant timeTo) {
        return wrapped().fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<String>, Metrics> backwardFetchAll(Instant timeFrom, Instant timeTo) {
        return wrapped().backwardFetchAll(timeFrom, timeTo);
    }
}
