package dev.reel.webhooks.endpoints;

import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint as its events left it ({@link EndpointFold}).
 *
 * @param sealedSecret         the current signing secret, sealed
 * @param previousSealedSecret the secret before the last rotation, or {@code null}; it signs too until
 *                             {@code previousValidUntil}
 * @param disabledReason       why deliveries stopped, or {@code null} while the endpoint is enabled
 */
public record Endpoint(String id, String owner, String url, List<String> eventTypes, String description,
        String sealedSecret, String previousSealedSecret, Instant previousValidUntil, boolean enabled,
        String disabledReason, Instant disabledAt, Instant createdAt, Instant updatedAt) {

    /** Every event type. */
    public static final String ALL_TYPES = "*";

    public Endpoint {
        eventTypes = List.copyOf(eventTypes);
    }

    /** Whether this endpoint wants events of {@code type}. */
    public boolean wants(String type) {
        return eventTypes.contains(ALL_TYPES) || eventTypes.contains(type);
    }

    /** The sealed secrets that sign an attempt made at {@code now}: the current one, and the previous while valid. */
    public List<String> signingSecrets(Instant now) {
        return previousSealedSecret != null && now.isBefore(previousValidUntil)
                ? List.of(sealedSecret, previousSealedSecret)
                : List.of(sealedSecret);
    }
}
