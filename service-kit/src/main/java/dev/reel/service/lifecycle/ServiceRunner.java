package dev.reel.service.lifecycle;

import dev.reel.service.config.Env;
import dev.reel.service.config.InvalidConfigException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service's {@code main}: read the configuration (every problem at once, then exit 2), start (a failure is logged
 * with its cause, then exit 1: clients started before it have non-daemon threads, and a half-started process must not
 * linger), then run until SIGTERM or Ctrl-C, when the service's ordered shutdown runs and the process ends.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     ServiceRunner.run("ingest", IngestConfig::from, IngestService::start);
 * }
 * }</pre>
 */
public final class ServiceRunner {

    /** Exit status of a process whose configuration cannot work. */
    public static final int CONFIG_ERROR = 2;
    /** Exit status of a process that could not start. */
    public static final int START_FAILED = 1;

    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    /** Starts a service from its configuration; the returned handle's {@code close()} is its ordered shutdown. */
    @FunctionalInterface
    public interface Starter<C> {
        AutoCloseable start(C config) throws Exception;
    }

    private ServiceRunner() {
    }

    /** Runs the service until the JVM is asked to stop; exits the JVM when it cannot start. */
    public static <C> void run(String service, Function<Env, C> readConfig, Starter<C> starter) {
        Started started = start(service, System.getenv(), readConfig, starter, System.err);
        if (started.exitStatus() != 0) {
            System.exit(started.exitStatus());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(service, started.service());
            stopped.countDown();
        }, service + "-shutdown"));
        try {
            stopped.await(); // the JVM ends when the hook returns
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What {@link #start} did: the running service, or the exit status to end with. */
    record Started(AutoCloseable service, int exitStatus) {
    }

    static <C> Started start(String service, Map<String, String> environment, Function<Env, C> readConfig,
            Starter<C> starter, PrintStream err) {
        C config;
        try {
            config = readConfig.apply(new Env(environment));
        } catch (InvalidConfigException e) {
            err.println(service + " cannot start: " + e.getMessage());
            return new Started(null, CONFIG_ERROR);
        }
        try {
            return new Started(starter.start(config), 0);
        } catch (Exception e) {
            log.error("{} could not start", service, e);
            return new Started(null, START_FAILED);
        }
    }

    static void stop(String service, AutoCloseable running) {
        try {
            running.close();
        } catch (Exception e) {
            log.error("{} did not stop cleanly", service, e);
        }
    }
}
