package dev.reel.service.storage;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rides out a storage outage: a call that fails because storage is unreachable, slow or answering 5xx is retried with
 * a doubling pause (0.5 s up to 8 s) until the budget is spent. Without it a short outage fails a whole transcode
 * attempt, and a few of them end a good upload as {@code transcode.failed}. Refusals that retrying cannot fix (a
 * missing bucket, denied access) and missing objects fail at once. A budget of zero tries once: a service that
 * answers a client (which retries itself) should not hold a request for minutes.
 */
final class StorageRetry {

    private static final Logger log = LoggerFactory.getLogger(StorageRetry.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(8);

    /** One storage call. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
    }

    private final Duration budget;

    /** @param budget how long one call may keep retrying; zero tries once */
    StorageRetry(Duration budget) {
        this.budget = budget;
    }

    /**
     * @throws StorageException the call failed for good, or storage stayed away for the whole budget (also when the
     *                          thread is interrupted: the interrupt flag stays set)
     */
    <T> T call(String what, Call<T> call) throws StorageException {
        long deadline = System.nanoTime() + budget.toNanos();
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1;; attempt++) {
            StorageException failure;
            try {
                return call.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(StorageException.Kind.UNAVAILABLE, "interrupted while trying to " + what, e);
            } catch (Exception e) {
                failure = StorageException.of(what, e);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new StorageException(StorageException.Kind.UNAVAILABLE, "interrupted while trying to " + what, failure);
            }
            if (!failure.isTransient() || System.nanoTime() + pause.toNanos() > deadline) {
                throw failure;
            }
            log.warn("storage: cannot {} (try {}), retrying in {} ms: {}", what, attempt, pause.toMillis(), failure.getMessage());
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(StorageException.Kind.UNAVAILABLE, "stopped while waiting for storage to " + what, e);
            }
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }
}
