package dev.reel.webhooks.delivery;

import dev.reel.events.webhooks.DeliveryEvent.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * One event's delivery to one endpoint, as its events left it ({@link DeliveryBook}).
 *
 * @param payload       the body of every attempt: the CloudEvents JSON as read from its topic
 * @param nextAttemptAt when the next attempt is due while {@link State#PENDING}, else {@code null}
 * @param reason        why a delivery was abandoned, or {@code null}
 */
public record Delivery(String id, String endpointId, String eventId, String eventType, String videoId, String payload,
        Instant createdAt, List<Attempt> attempts, State state, Instant nextAttemptAt, String reason) {

    public enum State {
        PENDING, DELIVERED, FAILED, ABANDONED
    }

    /** One attempt, as recorded. */
    public record Attempt(int attempt, Instant at, int status, String error, long durationMillis, Outcome outcome) {
    }

    public Delivery {
        attempts = List.copyOf(attempts);
    }

    public boolean isPending() {
        return state == State.PENDING;
    }

    /** The number the next attempt gets. */
    public int nextAttempt() {
        return attempts.size() + 1;
    }
}
