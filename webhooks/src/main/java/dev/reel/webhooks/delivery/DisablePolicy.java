package dev.reel.webhooks.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When an endpoint that keeps failing is disabled: every attempt to it has failed for at least {@code after}, and at
 * least {@code minFailures} of them in a row.
 */
public record DisablePolicy(Duration after, int minFailures) {

    /** The reason to show the owner if the endpoint should be disabled now, else empty. */
    public Optional<String> reason(EndpointHealth health, Instant now) {
        if (health.failingSince() == null || health.consecutiveFailures() < minFailures
                || now.isBefore(health.failingSince().plus(after))) {
            return Optional.empty();
        }
        return Optional.of("every delivery attempt since " + health.failingSince() + " failed (" + health.consecutiveFailures()
                + " in a row); the last: " + health.lastError());
    }
}
