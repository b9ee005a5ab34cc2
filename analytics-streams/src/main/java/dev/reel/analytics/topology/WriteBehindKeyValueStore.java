package dev.reel.analytics.topology;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A key-value store written when the task commits ({@link WriteBehindStore}): the sessions, each changed by most events
 * of its session. The processor uses {@link #current}, {@link #put}, {@link #delete} and {@link #allCurrent}; the
 * {@link ReadOnlyKeyValueStore} methods read the values as of the task's last commit.
 */
final class WriteBehindKeyValueStore<V> extends WriteBehindStore<KeyValueStore<String, V>, String, String, V>
        implements
            ReadOnlyKeyValueStore<String, V> {

    private WriteBehindKeyValueStore(KeyValueStore<String, V> inner) {
        super(inner);
    }

    static <V> StoreBuilder<WriteBehindKeyValueStore<V>> builder(StoreBuilder<KeyValueStore<String, V>> inner) {
        return new Builder<>(inner) {
            @Override
            public WriteBehindKeyValueStore<V> build() {
                return new WriteBehindKeyValueStore<>(this.inner.build());
            }
        };
    }

    /** The current value, pending ones included, or {@code null}. Stream thread only. */
    V current(String key) {
        return isPending(key) ? pending(key) : wrapped().get(key);
    }

    /** Makes {@code value} the key's, written at the commit with any change made to it until then. */
    void put(String key, V value) {
        keep(key, value);
    }

    void delete(String key) {
        keep(key, null);
    }

    /** Every entry, the pending ones included (written down first). Stream thread only. */
    KeyValueIterator<String, V> allCurrent() {
        writePending();
        return wrapped().all();
    }

    @Override
    void writeDown(String key, V value) {
        if (value == null) {
            wrapped().delete(key);
        } else {
            wrapped().put(key, value);
        }
    }

    // Other readers: the layers underneath, as of the last commit.

    @Override
    public V get(String key) {
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        return wrapped().reverseAll();
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }
}
