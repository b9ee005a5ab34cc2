package dev.reel.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** Health waits: poll a condition until it holds, fail fast when a watched process dies. No fixed sleeps. */
public final class Await {

    private Await() {
    }

    /**
     * Polls {@code probe} every 100-500 ms until it returns true or the timeout passes. An exception from
     * the probe counts as "not yet". If any of {@code watched} exits meanwhile, fails at once with its log.
     */
    public static void until(String what, Duration timeout, Callable<Boolean> probe, List<ChildProcess> watched) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 100;
        Exception last = null;
        while (true) {
            for (ChildProcess p : watched) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(p.name() + " exited while waiting for " + what + "\n" + p.logTail(40));
                }
            }
            try {
                if (Boolean.TRUE.equals(probe.call())) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder message = new StringBuilder("timed out after " + timeout + " waiting for " + what);
                if (last != null) {
                    message.append(" (last error: ").append(last).append(')');
                }
                for (ChildProcess p : watched) {
                    message.append('\n').append(p.logTail(20));
                }
                throw new IllegalStateException(message.toString());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
            pause = Math.min(500, pause * 2);
        }
    }
}
