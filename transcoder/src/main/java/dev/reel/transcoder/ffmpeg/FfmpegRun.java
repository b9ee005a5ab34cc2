package dev.reel.transcoder.ffmpeg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running ffmpeg: its {@code -progress} output (stdout) goes to a listener, the tail of its stderr is kept for
 * the failure reason. {@link #close()} kills it if it still runs, so no ffmpeg outlives its job.
 */
public final class FfmpegRun implements AutoCloseable {

    private static final int TAIL_LINES = 40;
    private static final Pattern BENCH = Pattern.compile("bench: utime=([0-9.]+)s stime=([0-9.]+)s");

    private final Process process;
    private final StderrTail stderr = new StderrTail(TAIL_LINES);
    /** The CPU time of the {@code -benchmark} line, kept apart: x264's statistics follow it, more than the tail holds. */
    private final AtomicLong cpuMillis = new AtomicLong();
    private final Thread progressReader;
    private final Thread stderrReader;

    private FfmpegRun(Process process, Consumer<Progress> onProgress, String name) {
        this.process = process;
        ProgressParser parser = new ProgressParser();
        this.progressReader = Thread.ofVirtual().name(name + "-progress")
                .start(() -> readLines(process.getInputStream(), line -> parser.accept(line).ifPresent(onProgress)));
        this.stderrReader = Thread.ofVirtual().name(name + "-stderr")
                .start(() -> readLines(process.getErrorStream(), line -> {
                    Matcher m = BENCH.matcher(line);
                    if (m.find()) {
                        cpuMillis.set(Math.round((Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2))) * 1000));
                    }
                    stderr.add(line);
                }));
    }

    /**
     * Starts ffmpeg.
     *
     * @param name       names the reader threads, e.g. the video id
     * @param onProgress called on a reader thread for each progress block; must not block
     */
    public static FfmpegRun start(List<String> command, String name, Consumer<Progress> onProgress) throws TranscodeException {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close(); // nothing to say on stdin
            return new FfmpegRun(process, onProgress, name);
        } catch (IOException e) {
            throw new TranscodeException("cannot run " + command.getFirst() + " (is ffmpeg installed? apt-get install ffmpeg): "
                    + e.getMessage(), e);
        }
    }

    /** Waits up to {@code timeout} for ffmpeg to exit; true when it has. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * After ffmpeg exited: returns if it succeeded, else throws with the tail of its stderr.
     *
     * @throws TranscodeException when the exit code is not 0
     */
    public void requireSuccess() throws TranscodeException, InterruptedException {
        int exit = process.waitFor();
        // The readers end at EOF right after the exit; join so the last lines (the error) are in the tail.
        progressReader.join(Duration.ofSeconds(5));
        stderrReader.join(Duration.ofSeconds(5));
        if (exit != 0) {
            String tail = stderr.text(1_500);
            throw new TranscodeException("ffmpeg exited with " + exit + (tail.isEmpty() ? "" : ": " + tail));
        }
    }

    /**
     * After ffmpeg exited ({@link #requireSuccess()}): the CPU time it used (user + system), from the line
     * {@code -benchmark} prints; 0 when it printed none.
     */
    public long cpuMillis() {
        return cpuMillis.get();
    }

    /** The last lines of stderr, at most {@code maxChars}. */
    public String stderrTail(int maxChars) {
        return stderr.text(maxChars);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void readLines(InputStream in, Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            // the process was killed: its pipes closed under the reader
        }
    }
}
