package dev.reel.webhooks.delivery;

import dev.reel.events.webhooks.DeliveryEvent;
import dev.reel.events.webhooks.DeliveryEvent.Outcome;
import java.time.Duration;
import java.time.Instant;

/**
 * When a failed delivery is tried again, and when it is given up: the pause after attempt n is {@code base * 2^(n-1)},
 * at most {@code maxInterval}, plus up to 10% (a fixed share per delivery and attempt, so endpoints that failed at the
 * same moment are not all retried at the same moment); a delivery is retried as long as its first attempt is less than
 * {@code retryFor} old, so it is tried for at least that long.
 */
public record RetryPolicy(Duration base, Duration maxInterval, Duration retryFor) {

    /** The event recording an attempt of {@code delivery} that ended at {@code at}. */
    public DeliveryEvent.Attempted attempted(Delivery delivery, AttemptResult result, Instant at) {
        int attempt = delivery.nextAttempt();
        if (result.succeeded()) {
            return new DeliveryEvent.Attempted(delivery.id(), delivery.endpointId(), attempt, result.status(), null,
                    result.durationMillis(), Outcome.DELIVERED, null, at);
        }
        Instant first = delivery.attempts().isEmpty() ? at : delivery.attempts().getFirst().at();
        boolean windowOver = !at.isBefore(first.plus(retryFor));
        return new DeliveryEvent.Attempted(delivery.id(), delivery.endpointId(), attempt, result.status(), result.error(),
                result.durationMillis(), windowOver ? Outcome.FAILED : Outcome.RETRYING,
                windowOver ? null : at.plus(pauseAfter(delivery.id(), attempt)), at);
    }

    /** The pause after attempt {@code attempt} (1-based). */
    Duration pauseAfter(String deliveryId, int attempt) {
        long pause = (long) Math.min(maxInterval.toMillis(), base.toMillis() * Math.pow(2, attempt - 1));
        long jitter = Math.floorMod((deliveryId + "/" + attempt).hashCode(), 1000) * pause / 10_000;
        return Duration.ofMillis(pause + jitter);
    }
}
