package dev.reel.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.webhooks.DeliveryEvent;
import dev.reel.events.webhooks.DeliveryEvent.Outcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryBookTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private final RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24));

    private static DeliveryEvent.Scheduled scheduled(String id, String endpoint, Instant at) {
        return new DeliveryEvent.Scheduled(id, endpoint, "event-" + id, "reel.transcode.completed", "video-1", "{}", at);
    }

    @Test
    void aDeliveryIsDueAtOnceThenAfterEachBackoffUntilDelivered() {
        DeliveryBook book = new DeliveryBook(10);
        book.apply(scheduled("d1", "wh_endpoint", T0));
        assertThat(book.due(T0)).extracting(Delivery::id).containsExactly("d1");

        Delivery d = book.due(T0).getFirst();
        DeliveryEvent.Attempted first = retry.attempted(d, new AttemptResult(503, "HTTP 503", 12), T0.plusMillis(20));
        assertThat(first.outcome()).isEqualTo(Outcome.RETRYING);
        assertThat(first.attempt()).isEqualTo(1);
        book.apply(first);
        assertThat(book.due(T0.plusSeconds(4))).isEmpty();
        assertThat(book.due(first.nextAttemptAt())).hasSize(1);
        assertThat(book.health("wh_endpoint").consecutiveFailures()).isEqualTo(1);
        assertThat(book.health("wh_endpoint").failingSince()).isEqualTo(T0.plusMillis(20));

        Delivery again = book.due(first.nextAttemptAt()).getFirst();
        DeliveryEvent.Attempted second = retry.attempted(again, new AttemptResult(200, null, 5), first.nextAttemptAt());
        assertThat(second.attempt()).isEqualTo(2);
        book.apply(second);
        assertThat(book.due(T0.plusSeconds(3600))).isEmpty();
        Delivery done = book.ofEndpoint("wh_endpoint", 10).getFirst();
        assertThat(done.state()).isEqualTo(Delivery.State.DELIVERED);
        assertThat(done.attempts()).extracting(Delivery.Attempt::status).containsExactly(503, 200);
        assertThat(book.health("wh_endpoint").failingSince()).isNull();
        assertThat(book.health("wh_endpoint").lastSuccessAt()).isEqualTo(first.nextAttemptAt());
    }

    @Test
    void aSecondSchedulingOfTheSameDeliveryChangesNothing() {
        DeliveryBook worker = new DeliveryBook(0);
        worker.apply(scheduled("d1", "wh_endpoint", T0));
        Delivery d = worker.due(T0).getFirst();
        worker.apply(retry.attempted(d, new AttemptResult(204, null, 3), T0.plusSeconds(1)));
        worker.apply(scheduled("d1", "wh_endpoint", T0.plusSeconds(2)));
        assertThat(worker.due(T0.plusSeconds(10))).as("delivered once; the fan-out's redo is ignored").isEmpty();
        assertThat(worker.pendingCount()).isZero();
    }

    @Test
    void abandonedDeliveriesStopAndFinishedOnesAreKeptUpToTheLimit() {
        DeliveryBook book = new DeliveryBook(2);
        for (int i = 1; i <= 3; i++) {
            book.apply(scheduled("d" + i, "wh_endpoint", T0.plusSeconds(i)));
            book.apply(new DeliveryEvent.Abandoned("d" + i, "wh_endpoint", "the endpoint was deleted", T0.plusSeconds(i)));
        }
        assertThat(book.due(T0.plusSeconds(60))).isEmpty();
        assertThat(book.ofEndpoint("wh_endpoint", 10)).extracting(Delivery::id).containsExactly("d3", "d2");
        assertThat(book.ofEndpoint("wh_endpoint", 10).getFirst().reason()).isEqualTo("the endpoint was deleted");
    }

    @Test
    void retriesLastAtLeastTheRetryWindowWithDoublingPausesUpToTheCap() {
        assertThat(retry.pauseAfter("d", 1)).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5500));
        assertThat(retry.pauseAfter("d", 2)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11));
        assertThat(retry.pauseAfter("d", 30)).isBetween(Duration.ofHours(1), Duration.ofMinutes(66));

        DeliveryBook book = new DeliveryBook(10);
        book.apply(scheduled("d1", "wh_endpoint", T0));
        Instant now = T0;
        DeliveryEvent.Attempted last;
        do {
            Delivery d = book.due(now).getFirst();
            last = retry.attempted(d, new AttemptResult(0, "connection refused", 1), now);
            book.apply(last);
            now = last.nextAttemptAt() == null ? now : last.nextAttemptAt();
        } while (last.outcome() == Outcome.RETRYING);
        assertThat(last.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(now).as("the last attempt comes at least 24 h after the first")
                .isAfterOrEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(last.attempt()).isBetween(25, 35);
        assertThat(book.ofEndpoint("wh_endpoint", 1).getFirst().state()).isEqualTo(Delivery.State.FAILED);
    }

    @Test
    void anEndpointIsDisabledOnlyAfterFailingLongEnoughAndOftenEnough() {
        DisablePolicy policy = new DisablePolicy(Duration.ofHours(24), 5);
        Instant since = T0;
        assertThat(policy.reason(new EndpointHealth(null, since, 4, "HTTP 500"), since.plus(Duration.ofDays(2)))).isEmpty();
        assertThat(policy.reason(new EndpointHealth(null, since, 50, "HTTP 500"), since.plus(Duration.ofHours(23)))).isEmpty();
        assertThat(policy.reason(new EndpointHealth(null, since, 5, "HTTP 500"), since.plus(Duration.ofHours(24))))
                .hasValue("every delivery attempt since 2026-11-24T10:00:00Z failed (5 in a row); the last: HTTP 500");
        assertThat(policy.reason(EndpointHealth.UNKNOWN, since.plus(Duration.ofDays(9)))).isEmpty();
    }
}
