package dev.reel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised child process whose stdout and stderr go to its own log file.
 *
 * <p>{@link #stop(Duration)} is the clean path (SIGTERM, then SIGKILL after the grace period);
 * {@link #kill()} is SIGKILL on purpose, for fault tests. A process can be started again after it
 * ended, with the same command: restarts keep their data because the data lives in files.
 *
 * <p>A child never outlives the JVM that started it, even one killed with {@code kill -9} (which runs no shutdown
 * hook): on Linux it is started through {@code setpriv --pdeathsig KILL}, so the kernel kills it when its parent dies.
 * The kernel's "parent" is the thread that forked it, so each child is started from a thread of its own that lives
 * exactly as long as the child (waiting for it), never from a pool thread that may end first.
 */
public final class ChildProcess {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    /** {@code setpriv} (util-linux), where there is one: sets the parent-death signal, then execs the command. */
    private static final Optional<Path> SETPRIV = Executables.find("setpriv");

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workDir;
    private final Path logFile;
    private volatile Process process;

    public ChildProcess(String name, List<String> command, Map<String, String> environment, Path workDir, Path logFile) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.workDir = workDir;
        this.logFile = logFile;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** Starts the process; its log is appended to, so a restart keeps the earlier lines. */
    public synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(withParentDeathSignal(command))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            builder.environment().putAll(environment);
            process = spawnFromOwnThread(builder);
            log.info("started {} (pid {}), log {}", name, process.pid(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    private static List<String> withParentDeathSignal(List<String> command) {
        if (SETPRIV.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SETPRIV.get().toString(), "--pdeathsig", "KILL", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Starts the process from a new thread that then waits for it, so the parent-death signal fires only with the JVM. */
    private Process spawnFromOwnThread(ProcessBuilder builder) throws IOException {
        CompletableFuture<Process> spawned = new CompletableFuture<>();
        Thread.ofPlatform().name("child-" + name).daemon(true).start(() -> {
            Process started;
            try {
                started = builder.start();
            } catch (IOException | RuntimeException e) {
                spawned.completeExceptionally(e);
                return;
            }
            spawned.complete(started);
            try {
                started.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            return spawned.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return p.pid();
    }

    /** The exit status of the process, which must have ended. */
    public int exitValue() {
        Process p = process;
        if (p == null || p.isAlive()) {
            throw new IllegalStateException(name + " has not ended");
        }
        return p.exitValue();
    }

    /** Runs the process to completion (for one-shot tools) and fails with its log tail on a non-zero exit. */
    public void runToCompletion(Duration timeout) {
        start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + timeout + "\n" + logTail(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + logTail(30));
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true when the process ended on its own. */
    public boolean stop(Duration grace) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return true;
        }
        p.destroy();
        try {
            if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("stopped {} (exit {})", name, p.exitValue());
                return true;
            }
            log.warn("{} did not stop within {}: killing it", name, grace);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return false;
        }
    }

    /** SIGKILL and wait until the process is gone: the crash of a fault test. */
    public void kill() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("killed {} (pid {})", name, p.pid());
    }

    /** The last lines of the log, to explain a failed start. */
    public String logTail(int lines) {
        if (!Files.exists(logFile)) {
            return "(no log at " + logFile + ")";
        }
        Deque<String> tail = new ArrayDeque<>(lines);
        try (var reader = Files.newBufferedReader(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (tail.size() == lines) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e.getMessage() + ")";
        }
        return "--- last lines of " + logFile + " ---\n" + String.join("\n", tail);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    @Override
    public String toString() {
        Process p = process;
        if (p == null) {
            return name + " (not started)";
        }
        return name + (p.isAlive() ? " (pid " + p.pid() + ")" : " (exited " + p.exitValue() + ")");
    }
}
