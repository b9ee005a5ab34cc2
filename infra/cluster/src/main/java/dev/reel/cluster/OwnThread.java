package dev.reel.cluster;

import java.util.concurrent.Executor;

/**
 * Runs each task on a platform thread of its own, for work done side by side that blocks (a process's start, stop
 * or readiness). Not CompletableFuture's default executor: that is the common ForkJoinPool, which has a single thread
 * on a 2-core machine, so "side by side" ran one after another there (a three-node Kafka cluster stopped node by
 * node, and the last one waited out its grace for a quorum already gone). Platform threads, not virtual ones: a
 * process wait may pin a virtual thread's carrier before JDK 24.
 */
public final class OwnThread {

    private OwnThread() {
    }

    /** An executor that starts a new thread, named {@code name}, for every task. */
    public static Executor named(String name) {
        return task -> Thread.ofPlatform().name(name).start(task);
    }
}
