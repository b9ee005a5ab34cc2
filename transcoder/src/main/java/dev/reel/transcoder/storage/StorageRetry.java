package dev.reel.transcoder.storage;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rides out a storage outage inside the attempt: a call that fails because storage is unreachable, slow or answering
 * 5xx is retried with a doubling pause (0.5 s up to 8 s) until the budget is spent. Without it a short outage would
 * fail the attempt, and a few of them would end a perfectly good upload as {@code transcode.failed}. Refusals that
 * retrying cannot fix (a missing bucket, denied access) fail at once.
 */
public final class StorageRetry {

    private static final Logger log = LoggerFactory.getLogger(StorageRetry.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(8);
    /** S3 error codes that mean "not now" rather than "no". */
    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "RequestTimeout");

    /** One storage call. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws Exception;
    }

    private final Duration budget;

    /** @param budget how long one call may keep retrying; zero tries once */
    public StorageRetry(Duration budget) {
        this.budget = budget;
    }

    /**
     * @throws IOException the call failed for good, or storage stayed away for the whole budget
     *                     ({@link InterruptedIOException} when the worker is stopping)
     */
    public <T> T call(String what, Call<T> call) throws IOException {
        long deadline = System.nanoTime() + budget.toNanos();
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1;; attempt++) {
            try {
                return call.run();
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("stopped while trying to " + what);
                }
                if (!isTransient(e) || System.nanoTime() + pause.toNanos() > deadline) {
                    throw new IOException("cannot " + what + ": " + e.getMessage(), e);
                }
                log.warn("storage: cannot {} (try {}), retrying in {} ms: {}", what, attempt, pause.toMillis(), e.toString());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("stopped while waiting for storage to " + what);
            }
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    static boolean isTransient(Exception e) {
        if (e instanceof ErrorResponseException refused) {
            return TRANSIENT_CODES.contains(refused.errorResponse().code());
        }
        return e instanceof IOException || e instanceof ServerException; // unreachable, timed out, or 5xx
    }
}
