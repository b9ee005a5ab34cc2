package dev.reel.ingest.ops;

import dev.reel.ingest.storage.ObjectStore;
import dev.reel.service.ops.Readiness;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps "Kafka reachable" and "S3 reachable" up to date in the background, so {@code /readyz} only reads two flags
 * and never blocks on a dependency.
 */
public final class DependencyChecks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DependencyChecks.class);

    private final Admin admin;
    private final ObjectStore store;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ingest-readiness");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean kafka;
    private volatile boolean s3;

    public DependencyChecks(Admin admin, ObjectStore store) {
        this.admin = admin;
        this.store = store;
    }

    public DependencyChecks start(Readiness readiness, Duration interval) {
        readiness.add("kafka", () -> kafka).add("s3", () -> s3);
        scheduler.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void check() {
        boolean kafkaNow;
        try {
            admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
            kafkaNow = true;
        } catch (Exception e) {
            kafkaNow = false;
        }
        boolean s3Now;
        try {
            s3Now = store.bucketExists();
        } catch (RuntimeException e) {
            s3Now = false;
        }
        if (kafkaNow != kafka || s3Now != s3) {
            log.info("dependencies: kafka {}, s3 {}", kafkaNow ? "reachable" : "UNREACHABLE",
                    s3Now ? "reachable" : "UNREACHABLE");
        }
        kafka = kafkaNow;
        s3 = s3Now;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
