package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.OwnThread;
import dev.reel.launcher.ReelPlatform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The {@code reel} command as a user runs it beside the platform (a JVM of its own), pointed at its run folder. */
final class ReelCommand {

    private ReelCommand() {
    }

    /** Runs {@code reel args…} to its end (at most 2 minutes); returns what it printed. It must succeed. */
    static String output(String... args) throws Exception {
        return output(Duration.ofMinutes(2), args);
    }

    /** Runs {@code reel args…} to its end, within {@code limit}; returns what it printed. It must succeed. */
    static String output(Duration limit, String... args) throws Exception {
        Process process = new ProcessBuilder(ReelPlatform.javaCommand(List.of(args))).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)).as("reel %s ended", List.of(args)).isTrue();
        assertThat(process.exitValue()).as(printed).isZero();
        return printed;
    }

    /** Runs {@code reel args…} to its end; returns its exit code. */
    static int exitCode(String... args) throws Exception {
        Process process = new ProcessBuilder(ReelPlatform.javaCommand(List.of(args))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("reel %s ended", List.of(args)).isTrue();
        return process.exitValue();
    }

    /** The first line a command that runs until stopped ({@code reel tail}) prints; then SIGTERM, which it must obey. */
    static String firstLine(String... args) throws Exception {
        Process process = new ProcessBuilder(ReelPlatform.javaCommand(List.of(args)))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, OwnThread.named("reel-output")).get(2, TimeUnit.MINUTES);
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("reel %s stops on SIGTERM", List.of(args)).isTrue();
        }
    }
}
