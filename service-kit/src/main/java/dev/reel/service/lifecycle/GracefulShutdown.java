package dev.reel.service.lifecycle;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps a service runs on SIGTERM, in the order they were added (e.g. stop taking HTTP requests, drain,
 * commit, close producers). One step failing does not skip the others. A service's {@code start} adds a step for each
 * part as it starts it, and returns this as its handle for {@link ServiceRunner}.
 */
public final class GracefulShutdown implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private final String service;
    private final List<Step> steps = new ArrayList<>();
    private boolean done;

    private record Step(String name, AutoCloseable action) {
    }

    public GracefulShutdown(String service) {
        this.service = service;
    }

    public synchronized GracefulShutdown then(String name, AutoCloseable action) {
        steps.add(new Step(name, action));
        return this;
    }

    /** Runs every step once, in order; later calls wait for the first to finish. */
    public void run() {
        synchronized (this) {
            if (done) {
                return;
            }
            log.info("{} shutting down", service);
            for (Step step : steps) {
                try {
                    step.action().close();
                    log.info("{} shutdown: {} done", service, step.name());
                } catch (Exception e) {
                    log.warn("{} shutdown: {} failed: {}", service, step.name(), e.toString());
                }
            }
            steps.clear();
            done = true;
            log.info("{} stopped", service);
        }
    }

    @Override
    public void close() {
        run();
    }
}
