package dev.reel.ingest.ops;

import dev.reel.service.ops.Readiness;
import dev.reel.service.storage.ObjectStorage;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps "Kafka reachable" and "S3 reachable" up to date in the background, so {@code /readyz} only reads two flags
 * and never blocks on a dependency. Each change is logged once, a dependency lost with the failure that says why.
 */
public final class DependencyChecks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DependencyChecks.class);

    /** One dependency's last verdict. */
    private static final class Dependency {
        private final String name;
        private final Callable<?> check; // throws when the dependency is not there
        private volatile Boolean reachable; // null until the first check

        Dependency(String name, Callable<?> check) {
            this.name = name;
            this.check = check;
        }

        boolean reachable() {
            return Boolean.TRUE.equals(reachable);
        }

        void check() {
            Exception failure = null;
            try {
                check.call();
            } catch (Exception e) {
                failure = e;
            }
            boolean now = failure == null;
            if (reachable == null || reachable != now) {
                if (now) {
                    log.info("dependencies: {} reachable", name);
                } else {
                    log.warn("dependencies: {} UNREACHABLE", name, failure);
                }
            }
            reachable = now;
        }
    }

    private final Admin admin;
    private final Dependency kafka;
    private final Dependency s3;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ingest-readiness");
        thread.setDaemon(true);
        return thread;
    });

    public DependencyChecks(Admin admin, ObjectStorage storage) {
        this.admin = admin;
        this.kafka = new Dependency("kafka", () -> admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS));
        this.s3 = new Dependency("s3", () -> {
            if (!storage.bucketExists()) {
                throw new IllegalStateException("there is no bucket " + storage.bucket());
            }
            return true;
        });
    }

    public DependencyChecks start(Readiness readiness, Duration interval) {
        readiness.add("kafka", kafka::reachable).add("s3", s3::reachable);
        scheduler.scheduleWithFixedDelay(() -> {
            kafka.check();
            s3.check();
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
