package dev.reel.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What a load generator asked, what it had to retry, what it never got, and its longest wait. */
final class LoadStats {

    private final LongAdder requests = new LongAdder();
    private final LongAdder erroredAnswers = new LongAdder();
    private final AtomicLong longestWaitMillis = new AtomicLong();
    private final Map<Integer, LongAdder> errorStatuses = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    /** Counts one patient request; true when it finally succeeded. */
    boolean record(String path, FrontDoor.Outcome outcome) {
        requests.increment();
        erroredAnswers.add(outcome.errors());
        outcome.errorStatuses().forEach(status -> errorStatuses.computeIfAbsent(status, s -> new LongAdder()).increment());
        longestWaitMillis.accumulateAndGet(outcome.waited().toMillis(), Math::max);
        if (!outcome.ok()) {
            failures.add(path + " -> " + outcome.status());
        }
        return outcome.ok();
    }

    long requests() {
        return requests.sum();
    }

    /** Error answers (5xx, broken connections) that a retry got past, or not. */
    long retried() {
        return erroredAnswers.sum();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    Duration longestWait() {
        return Duration.ofMillis(longestWaitMillis.get());
    }

    String summary() {
        StringBuilder errors = new StringBuilder();
        new TreeMap<>(errorStatuses).forEach((status, count) -> errors.append(errors.isEmpty() ? " (" : ", ")
                .append(status == 0 ? "broken connection" : status).append(" x").append(count.sum()));
        return String.format("%d requests, %d error answers retried%s, %d failed, longest wait %.1f s", requests(), retried(),
                errors.isEmpty() ? "" : errors.append(')'), failures.size(), longestWaitMillis.get() / 1000.0);
    }
}
