package dev.reel.ingest.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Runs ffprobe on a URL (a presigned GET of the original), so the original is checked where it is stored,
 * without a local copy.
 */
public final class Ffprobe {

    private final String executable;
    private final Duration timeout;

    public Ffprobe(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** Whether the executable runs at all; checked at start so a missing ffprobe is a clear configuration error. */
    public String version() {
        try {
            Process process = new ProcessBuilder(executable, "-version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(executable + " -version failed: " + output);
            }
            return output.lines().findFirst().orElse(executable);
        } catch (IOException e) {
            throw new IllegalStateException("ffprobe not found ('" + executable
                    + "'): install ffmpeg (apt-get install ffmpeg) or set REEL_INGEST_FFPROBE", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public ProbeResult probe(String url) {
        // every stream's and the format's facts, as the transcoder asks for them: it plans from this answer, stored
        List<String> command = List.of(executable, "-v", "error", "-rw_timeout", Long.toString(timeout.toNanos() / 1000),
                "-print_format", "json", "-show_streams", "-show_format", url);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            // its own thread, not CompletableFuture's default pool (the common ForkJoinPool: one thread on 2 cores)
            CompletableFuture<String> errors = new CompletableFuture<>();
            Thread.ofVirtual().name("ffprobe-errors").start(() -> errors.complete(readAll(process.getErrorStream())));
            String json = readAll(process.getInputStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new ProbeResult.Rejected(HttpStatus.UNPROCESSABLE_ENTITY_422,
                        "probing the file took longer than " + timeout.toSeconds() + " s");
            }
            return FfprobeReport.interpret(process.exitValue(), json, errors.join());
        } catch (IOException e) {
            throw new IllegalStateException("could not run ffprobe: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing", e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
