package dev.reel.edge.replica;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests parked until the replica reads a video's next catalog record: a player asking with {@code Prefer: wait} for
 * the master playlist of a video that has no rendition yet is answered the moment one is announced, not at its next
 * poll. A waiter wakes on the record, at its own deadline or at {@link #close()} (shutdown: no request holds up the
 * edge's drain), whichever comes first. At most {@code maxWaiters} wait at once: beyond that a waiter is woken at once,
 * so ids nobody will ever publish cannot pile up.
 */
public final class VideoChanges implements AutoCloseable {

    private final Map<String, Set<CompletableFuture<Boolean>>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger waiters = new AtomicInteger();
    private final int maxWaiters;
    private volatile boolean closed;

    public VideoChanges(int maxWaiters) {
        if (maxWaiters < 0) {
            throw new IllegalArgumentException("maxWaiters must not be negative: " + maxWaiters);
        }
        this.maxWaiters = maxWaiters;
    }

    /**
     * @return completes {@code true} when a record of the video is read after this call, {@code false} when
     *         {@code within} has passed, the edge is stopping, or too many wait already (then at once)
     */
    public CompletableFuture<Boolean> next(String videoId, Duration within) {
        if (closed) {
            return CompletableFuture.completedFuture(false);
        }
        if (waiters.incrementAndGet() > maxWaiters) {
            waiters.decrementAndGet();
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> waiter = new CompletableFuture<>();
        waiting.compute(videoId, (id, set) -> {
            Set<CompletableFuture<Boolean>> parked = set == null ? ConcurrentHashMap.newKeySet() : set;
            parked.add(waiter);
            return parked;
        });
        waiter.whenComplete((changed, failure) -> {
            waiters.decrementAndGet();
            waiting.computeIfPresent(videoId, (id, set) -> set.remove(waiter) && set.isEmpty() ? null : set);
        });
        if (closed) { // closed while this waiter was being added: close() may not have seen it
            waiter.complete(false);
        }
        return waiter.completeOnTimeout(false, within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A record of the video was read (on the replica's thread, after the replica holds it). */
    public void changed(String videoId) {
        wake(videoId, true);
    }

    /** How many requests wait now. */
    public int waiting() {
        return waiters.get();
    }

    private void wake(String videoId, boolean changed) {
        Set<CompletableFuture<Boolean>> set = waiting.remove(videoId);
        if (set != null) {
            set.forEach(waiter -> waiter.complete(changed));
        }
    }

    /** Wakes every waiter: the requests are answered with what the edge has now. */
    @Override
    public void close() {
        closed = true;
        waiting.keySet().forEach(videoId -> wake(videoId, false));
    }
}
