package dev.reel.analytics.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A store that keeps what the processor changed as objects and writes it to the store underneath (Kafka Streams'
 * metered, caching, changelogging and RocksDB layers) when the task commits. A store serializes a value on every put:
 * for a bucket of figures, t-digests included, about half of the processor's time per event, for values that take
 * hundreds of events between two commits. Here a value is serialized once per commit.
 *
 * <p>Exactly once still holds: before it sends the offsets in the commit's transaction, Kafka Streams flushes the
 * caches of the task's stores ({@code StreamTask.prepareCommit} calls {@link #flushCache} on every store that is a
 * {@code CachedStateStore}, as Kafka Streams' {@link WrappedStateStore} is: the one hook that runs then), and this
 * store writes its pending values down first, so they reach the changelog in the same transaction as the offsets of
 * the events that made them. A crash before that loses them with the uncommitted offsets, and the events are read
 * again.
 *
 * <p>Subclasses give the processor (the task's stream thread) reads that see the pending values, and give queries (other
 * threads) reads of the layers underneath only: the values as of the task's last commit, never an object the stream
 * thread is changing. The store is not a {@code KeyValueStore} or {@code WindowStore} itself, so Kafka Streams hands
 * it to the processor as it is.
 *
 * @param <S> the store underneath
 * @param <R> what names a value (a key, or a key and a window)
 * @param <V> the values, kept as the objects put
 */
abstract class WriteBehindStore<S extends StateStore, R, K, V> extends WrappedStateStore<S, K, V> {

    /** Changed since the last commit, in the order first changed; a {@code null} value is a delete. Stream thread only. */
    private final Map<R, V> pending = new LinkedHashMap<>();

    WriteBehindStore(S inner) {
        super(inner);
    }

    /** Writes one pending value (or a delete, {@code null}) to the store underneath. */
    abstract void writeDown(R ref, V value);

    /** Makes {@code value} the one named {@code ref}; the object is kept, so changes made to it before the commit are written too. */
    final void keep(R ref, V value) {
        pending.put(ref, value);
    }

    final boolean isPending(R ref) {
        return pending.containsKey(ref);
    }

    final V pending(R ref) {
        return pending.get(ref);
    }

    /** Writes every pending value down now (before a scan of the store underneath). Stream thread only. */
    final void writePending() {
        if (!pending.isEmpty()) {
            pending.forEach(this::writeDown);
            pending.clear();
        }
    }

    /** Called by Kafka Streams on the stream thread before the task's offsets are committed. */
    @Override
    public final void flushCache() {
        writePending();
        super.flushCache();
    }

    /** The task's state is being thrown away (a dirty close): pending values go with it. */
    @Override
    public final void clearCache() {
        pending.clear();
        super.clearCache();
    }

    @Override
    public final void close() {
        pending.clear();
        super.close();
    }

    /** Builds the store underneath as {@code inner} does (caching, logging), then wraps it. */
    abstract static class Builder<T extends StateStore, S extends StateStore> implements StoreBuilder<T> {

        final StoreBuilder<S> inner;

        Builder(StoreBuilder<S> inner) {
            this.inner = inner;
        }

        @Override
        public StoreBuilder<T> withCachingEnabled() {
            inner.withCachingEnabled();
            return this;
        }

        @Override
        public StoreBuilder<T> withCachingDisabled() {
            inner.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<T> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<T> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
