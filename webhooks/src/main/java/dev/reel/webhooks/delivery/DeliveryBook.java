package dev.reel.webhooks.delivery;

import dev.reel.events.webhooks.DeliveryEvent;
import dev.reel.events.webhooks.DeliveryEvent.Outcome;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deliveries and endpoint health folded from delivery events, in the order of their partition. Order-tolerant where
 * it matters: a second {@code Scheduled} of a delivery (the fan-out redid an event after a crash) and any event about
 * a finished delivery change nothing. Not thread-safe: one thread applies and reads.
 *
 * <p>Finished deliveries are kept up to {@code keepFinished} per endpoint (oldest dropped first); pending ones always.
 */
public final class DeliveryBook {

    private final int keepFinished;
    private final Map<String, Delivery> deliveries = new HashMap<>();
    private final Set<String> known = new HashSet<>();
    private final Map<String, Deque<String>> finishedByEndpoint = new HashMap<>();
    private final Map<String, EndpointHealth> health = new HashMap<>();

    /** @param keepFinished finished deliveries remembered per endpoint (0 for a worker, which needs only pending ones) */
    public DeliveryBook(int keepFinished) {
        this.keepFinished = keepFinished;
    }

    public void apply(DeliveryEvent event) {
        switch (event) {
            case DeliveryEvent.Scheduled s -> {
                if (known.add(s.deliveryId())) {
                    deliveries.put(s.deliveryId(), new Delivery(s.deliveryId(), s.endpointId(), s.eventId(), s.eventType(),
                            s.videoId(), s.payload(), s.at(), List.of(), Delivery.State.PENDING, s.at(), null));
                }
            }
            case DeliveryEvent.Attempted a -> attempted(a);
            case DeliveryEvent.Abandoned a -> {
                Delivery d = deliveries.get(a.deliveryId());
                if (d != null && d.isPending()) {
                    put(new Delivery(d.id(), d.endpointId(), d.eventId(), d.eventType(), d.videoId(), d.payload(), d.createdAt(),
                            d.attempts(), Delivery.State.ABANDONED, null, a.reason()));
                }
            }
        }
    }

    private void attempted(DeliveryEvent.Attempted a) {
        EndpointHealth before = health.getOrDefault(a.endpointId(), EndpointHealth.UNKNOWN);
        health.put(a.endpointId(),
                a.outcome() == Outcome.DELIVERED ? before.succeeded(a.at()) : before.failed(a.at(), a.error()));
        Delivery d = deliveries.get(a.deliveryId());
        if (d == null || !d.isPending()) {
            return;
        }
        List<Delivery.Attempt> attempts = new ArrayList<>(d.attempts());
        attempts.add(new Delivery.Attempt(a.attempt(), a.at(), a.status(), a.error(), a.durationMillis(), a.outcome()));
        Delivery.State state = switch (a.outcome()) {
            case DELIVERED -> Delivery.State.DELIVERED;
            case RETRYING -> Delivery.State.PENDING;
            case FAILED -> Delivery.State.FAILED;
        };
        put(new Delivery(d.id(), d.endpointId(), d.eventId(), d.eventType(), d.videoId(), d.payload(), d.createdAt(), attempts,
                state, a.nextAttemptAt(), null));
    }

    private void put(Delivery delivery) {
        if (delivery.isPending()) {
            deliveries.put(delivery.id(), delivery);
            return;
        }
        if (keepFinished == 0) {
            deliveries.remove(delivery.id());
            return;
        }
        deliveries.put(delivery.id(), delivery);
        Deque<String> finished = finishedByEndpoint.computeIfAbsent(delivery.endpointId(), e -> new ArrayDeque<>());
        finished.addLast(delivery.id());
        while (finished.size() > keepFinished) {
            deliveries.remove(finished.removeFirst());
        }
    }

    /** Pending deliveries due at {@code now}, the longest-waiting first. */
    public List<Delivery> due(Instant now) {
        return deliveries.values().stream().filter(d -> d.isPending() && !d.nextAttemptAt().isAfter(now))
                .sorted(Comparator.comparing(Delivery::nextAttemptAt)).toList();
    }

    /** An endpoint's deliveries, newest first. */
    public List<Delivery> ofEndpoint(String endpointId, int limit) {
        return deliveries.values().stream().filter(d -> d.endpointId().equals(endpointId))
                .sorted(Comparator.comparing(Delivery::createdAt).reversed().thenComparing(Delivery::id)).limit(limit).toList();
    }

    public EndpointHealth health(String endpointId) {
        return health.getOrDefault(endpointId, EndpointHealth.UNKNOWN);
    }

    /** Endpoints with recorded attempts. */
    public Set<String> endpointsWithHealth() {
        return Set.copyOf(health.keySet());
    }

    public int pendingCount() {
        return (int) deliveries.values().stream().filter(Delivery::isPending).count();
    }
}
