package dev.reel.events.webhooks;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * What happened to one delivery of one event to one endpoint: the values of {@code reel.webhook-deliveries}, keyed by
 * {@link #endpointId()} so every delivery of an endpoint is on one partition, in order. A delivery's state (pending,
 * delivered, failed, its attempts and when the next one is due) is the fold of its events; a worker that takes the
 * partition over rebuilds it from the topic, so a restart loses no delivery and no retry. The JSON carries the kind as
 * {@code "kind"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DeliveryEvent.Scheduled.class, name = "scheduled"),
        @JsonSubTypes.Type(value = DeliveryEvent.Attempted.class, name = "attempted"),
        @JsonSubTypes.Type(value = DeliveryEvent.Abandoned.class, name = "abandoned")})
public sealed interface DeliveryEvent {

    /** The delivery: derived from the event id and the endpoint id, so scheduling one event twice names one delivery. */
    String deliveryId();

    String endpointId();

    Instant at();

    /** How an attempt ended. */
    enum Outcome {
        /** The endpoint answered 2xx: done. */
        DELIVERED,
        /** It did not; another attempt is due at {@code nextAttemptAt}. */
        RETRYING,
        /** It did not, and the retry window is over: given up. */
        FAILED
    }

    /**
     * An event is to be delivered to an endpoint.
     *
     * @param eventId   the CloudEvents {@code id}: the receiver's de-duplication key ({@code webhook-id})
     * @param eventType the CloudEvents {@code type}
     * @param videoId   the event's subject
     * @param payload   the CloudEvents JSON exactly as read from its topic: the body of every attempt
     */
    record Scheduled(String deliveryId, String endpointId, String eventId, String eventType, String videoId, String payload,
            Instant at) implements DeliveryEvent {
        public Scheduled {
            Objects.requireNonNull(deliveryId, "deliveryId");
            Objects.requireNonNull(endpointId, "endpointId");
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * One attempt was made.
     *
     * @param attempt        1 for the first
     * @param status         the HTTP status the endpoint answered, or 0 when there was no answer
     * @param error          why the attempt failed (no answer, a non-2xx status, a refused address), or {@code null}
     * @param durationMillis from connecting to the end of the answer
     * @param nextAttemptAt  when the next attempt is due ({@link Outcome#RETRYING}), else {@code null}
     */
    record Attempted(String deliveryId, String endpointId, int attempt, int status, String error, long durationMillis,
            Outcome outcome, Instant nextAttemptAt, Instant at) implements DeliveryEvent {
        public Attempted {
            Objects.requireNonNull(deliveryId, "deliveryId");
            Objects.requireNonNull(endpointId, "endpointId");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
            }
            Objects.requireNonNull(outcome, "outcome");
            if ((outcome == Outcome.RETRYING) != (nextAttemptAt != null)) {
                throw new IllegalArgumentException("nextAttemptAt is set exactly when the outcome is RETRYING");
            }
            Objects.requireNonNull(at, "at");
        }
    }

    /** A pending delivery stopped without an attempt, because its endpoint was disabled or deleted. */
    record Abandoned(String deliveryId, String endpointId, String reason, Instant at) implements DeliveryEvent {
        public Abandoned {
            Objects.requireNonNull(deliveryId, "deliveryId");
            Objects.requireNonNull(endpointId, "endpointId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }
}
