package dev.reel.webhooks.delivery;

import java.time.Instant;

/**
 * How an endpoint's attempts have gone, from its delivery events.
 *
 * @param lastSuccessAt       the last 2xx, or {@code null}
 * @param failingSince        the first failed attempt after the last success, or {@code null} when the last attempt
 *                            succeeded
 * @param consecutiveFailures failed attempts since the last success
 * @param lastError           what the last failed attempt said, or {@code null}
 */
public record EndpointHealth(Instant lastSuccessAt, Instant failingSince, int consecutiveFailures, String lastError) {

    public static final EndpointHealth UNKNOWN = new EndpointHealth(null, null, 0, null);

    EndpointHealth succeeded(Instant at) {
        return new EndpointHealth(at, null, 0, null);
    }

    EndpointHealth failed(Instant at, String error) {
        return new EndpointHealth(lastSuccessAt, failingSince == null ? at : failingSince, consecutiveFailures + 1, error);
    }
}
