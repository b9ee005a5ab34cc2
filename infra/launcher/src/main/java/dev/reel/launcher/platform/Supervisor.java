package dev.reel.launcher.platform;

import dev.reel.cluster.ChildProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts a supervised process that died (a crash, an OOM kill, a {@code kill -9}) after a backoff that doubles
 * with each quick death (1 s up to 60 s), so a service that cannot start does not spin. Stopping the platform
 * stops the supervisor first, so a clean shutdown is never mistaken for a crash.
 */
final class Supervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration STABLE_AFTER = Duration.ofMinutes(1);

    private final List<ChildProcess> processes;
    private final Map<ChildProcess, Restart> restarts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "reel-supervisor");
        thread.setDaemon(true);
        return thread;
    });

    private record Restart(long notBeforeNanos, Duration backoff, long startedNanos) {
    }

    Supervisor(List<ChildProcess> processes) {
        this.processes = List.copyOf(processes);
        long now = System.nanoTime();
        processes.forEach(p -> restarts.put(p, new Restart(now, Duration.ofSeconds(1), now)));
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    private void check() {
        long now = System.nanoTime();
        for (ChildProcess process : processes) {
            if (process.isAlive()) {
                continue;
            }
            Restart last = restarts.get(process);
            if (now < last.notBeforeNanos()) {
                continue;
            }
            boolean wasStable = now - last.startedNanos() > STABLE_AFTER.toNanos();
            Duration backoff = wasStable ? Duration.ofSeconds(1) : min(last.backoff().multipliedBy(2), MAX_BACKOFF);
            log.warn("{} is not running: restarting it (next restart no sooner than {} s)", process.name(), backoff.toSeconds());
            try {
                process.start();
            } catch (RuntimeException e) {
                log.error("could not restart {}: {}", process.name(), e.getMessage());
            }
            restarts.put(process, new Restart(now + backoff.toNanos(), backoff, now));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
