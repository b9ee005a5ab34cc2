package dev.reel.webhooks.endpoints;

import dev.reel.events.webhooks.EndpointEvent;

/**
 * An endpoint's state from its events, in the order of its partition: a pure function. An event about an endpoint
 * that does not exist (never registered, or deleted) changes nothing, and a second registration of an id is ignored.
 */
public final class EndpointFold {

    private EndpointFold() {
    }

    /** @return the endpoint after {@code event}, or {@code null} when there is none (deleted, or never registered) */
    public static Endpoint apply(Endpoint current, EndpointEvent event) {
        return switch (event) {
            case EndpointEvent.Registered r -> current != null
                    ? current
                    : new Endpoint(r.endpointId(), r.owner(), r.url(), r.eventTypes(), r.description(), r.sealedSecret(), null,
                            null, true, null, null, r.at(), r.at());
            case EndpointEvent.Updated u -> current == null ? null : updated(current, u);
            case EndpointEvent.SecretRotated s -> current == null
                    ? null
                    : new Endpoint(current.id(), current.owner(), current.url(), current.eventTypes(), current.description(),
                            s.sealedSecret(), current.sealedSecret(), s.previousValidUntil(), current.enabled(),
                            current.disabledReason(), current.disabledAt(), current.createdAt(), s.at());
            case EndpointEvent.Disabled d -> current == null
                    ? null
                    : new Endpoint(current.id(), current.owner(), current.url(), current.eventTypes(), current.description(),
                            current.sealedSecret(), current.previousSealedSecret(), current.previousValidUntil(), false,
                            d.reason(), d.at(), current.createdAt(), d.at());
            case EndpointEvent.Deleted ignored -> null;
        };
    }

    private static Endpoint updated(Endpoint current, EndpointEvent.Updated u) {
        boolean enabled = u.enabled() == null ? current.enabled() : u.enabled();
        return new Endpoint(current.id(), current.owner(), u.url() == null ? current.url() : u.url(),
                u.eventTypes() == null ? current.eventTypes() : u.eventTypes(),
                u.description() == null ? current.description() : u.description(), current.sealedSecret(),
                current.previousSealedSecret(), current.previousValidUntil(), enabled,
                enabled ? null : reasonWhenOff(current), enabled ? null : disabledAtWhenOff(current, u),
                current.createdAt(), u.at());
    }

    private static String reasonWhenOff(Endpoint current) {
        return current.disabledReason() != null ? current.disabledReason() : "turned off by its owner";
    }

    private static java.time.Instant disabledAtWhenOff(Endpoint current, EndpointEvent.Updated u) {
        return current.disabledAt() != null ? current.disabledAt() : u.at();
    }
}
