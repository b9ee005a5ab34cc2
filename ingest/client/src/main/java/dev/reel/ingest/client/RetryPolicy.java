package dev.reel.ingest.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently to retry a request that failed for a transient reason (connection lost, 5xx, 423):
 * exponential backoff from {@code initialDelay}, doubling up to {@code maxDelay}, with up to 20 % random jitter so
 * many clients cut off together do not come back together.
 *
 * @param maxAttempts attempts per request, the first included
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
        }
    }

    /** Eight attempts, 500 ms doubling to 30 s: rides out a restart of the service. */
    public static RetryPolicy standard() {
        return new RetryPolicy(8, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** The pause before attempt {@code attempt + 1}, after {@code attempt} failures, without jitter. */
    public Duration backoff(int attempt) {
        long millis = initialDelay.toMillis();
        for (int i = 1; i < attempt && millis < maxDelay.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }

    /** {@link #backoff} with jitter. */
    public Duration pauseAfter(int attempt) {
        long base = backoff(attempt).toMillis();
        return Duration.ofMillis(base + (long) (base * 0.2 * ThreadLocalRandom.current().nextDouble()));
    }
}
