package dev.reel.catalog.routing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's changelog lag per store partition, for deciding whether a standby copy may answer "absent".
 * Kafka Streams computes lags with a broker round trip that can block for the admin client's timeout, so a query
 * never makes it: it reads the last snapshot, and asks a background thread for a new one when the snapshot is more
 * than a second old. A snapshot older than {@link #TRUSTED_FOR} (or a failed refresh) says nothing is caught up.
 */
public final class StandbyLags implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandbyLags.class);
    static final Duration FRESH_FOR = Duration.ofSeconds(1);
    static final Duration TRUSTED_FOR = Duration.ofSeconds(5);

    /** Offset lag by store name and partition. */
    private record Snapshot(Map<String, Map<Integer, Long>> lags, long takenNanos) {
    }

    private final Supplier<Map<String, Map<Integer, Long>>> source;
    private final LongSupplier nanoTime;
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("catalog-standby-lags").factory());
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Snapshot snapshot;

    public StandbyLags(KafkaStreams streams) {
        this(() -> offsetLags(streams.allLocalStorePartitionLags()), System::nanoTime);
    }

    /** @param source offset lag by store name and partition */
    StandbyLags(Supplier<Map<String, Map<Integer, Long>>> source, LongSupplier nanoTime) {
        this.source = source;
        this.nanoTime = nanoTime;
        this.snapshot = new Snapshot(Map.of(), nanoTime.getAsLong() - TRUSTED_FOR.toNanos() - 1);
    }

    /** True when this instance's copy of the partition had no changelog lag a moment ago; never blocks. */
    public boolean caughtUp(String store, int partition) {
        Snapshot current = snapshot;
        long age = nanoTime.getAsLong() - current.takenNanos();
        if (age > FRESH_FOR.toNanos() && refreshing.compareAndSet(false, true)) {
            refresher.execute(this::refresh);
        }
        if (age > TRUSTED_FOR.toNanos()) {
            return false;
        }
        Long lag = current.lags().getOrDefault(store, Map.of()).get(partition);
        return lag != null && lag == 0;
    }

    private static Map<String, Map<Integer, Long>> offsetLags(Map<String, Map<Integer, LagInfo>> lags) {
        return lags.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, store -> store.getValue()
                .entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, p -> p.getValue().offsetLag()))));
    }

    private void refresh() {
        try {
            snapshot = new Snapshot(Map.copyOf(source.get()), nanoTime.getAsLong());
        } catch (RuntimeException e) { // the brokers' end offsets are needed: unknown means not caught up
            log.debug("could not read store lags: {}", e.toString());
            snapshot = new Snapshot(Map.of(), nanoTime.getAsLong());
        } finally {
            refreshing.set(false);
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
