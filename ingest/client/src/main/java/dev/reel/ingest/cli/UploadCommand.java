package dev.reel.ingest.cli;

import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.IngestException;
import dev.reel.ingest.client.UploadListener;
import dev.reel.ingest.client.UploadRequest;
import dev.reel.ingest.client.UploadResult;
import dev.reel.ingest.client.VideoStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reel upload <file> --title ...}: a resumable upload with a progress bar on stderr; run again after an
 * interruption it resumes where the server is. With {@code --wait} it then follows the video until it is READY (or
 * PLAYABLE with {@code --until-playable}) or FAILED. Prints the video id, status and watch URLs on stdout.
 * Exit codes: 0 done, 1 the upload or the video failed, 2 bad usage, 3 the wait timed out.
 */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = "Upload a video to Reel (resumable; run again to resume).")
public final class UploadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The video file.")
    Path file;

    @Option(names = "--title", description = "Title (default: the file name without extension).")
    String title;

    @Option(names = "--description", description = "Description.")
    String description;

    @Option(names = "--visibility", defaultValue = "public",
            description = "public, unlisted or private (default: ${DEFAULT-VALUE}).")
    String visibility;

    @Option(names = "--api-url", defaultValue = "${env:REEL_API_URL:-http://127.0.0.1:8080}",
            description = "Reel's front door (env REEL_API_URL, default: ${DEFAULT-VALUE}).")
    URI apiUrl;

    @Option(names = "--api-key", defaultValue = "${env:REEL_API_KEY}", description = "API key (env REEL_API_KEY).")
    String apiKey;

    @Option(names = "--wait", description = "Follow the video's state until it is READY or FAILED.")
    boolean await;

    @Option(names = "--until-playable", description = "With --wait, stop as soon as the video is PLAYABLE.")
    boolean untilPlayable;

    @Option(names = "--wait-timeout", defaultValue = "30m",
            description = "How long --wait waits (e.g. 90s, 30m; default ${DEFAULT-VALUE}).")
    String waitTimeout;

    @Option(names = "--state-dir", defaultValue = "${env:REEL_UPLOAD_STATE_DIR:-${sys:user.home}/.reel/uploads}",
            description = "Where resumable upload state is kept (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--chunk-mib", defaultValue = "32", description = "MiB per request (default: ${DEFAULT-VALUE}).")
    int chunkMib;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintStream err = System.err;
        if (apiKey == null || apiKey.isBlank()) {
            err.println("reel upload: an API key is needed: --api-key or REEL_API_KEY");
            return 2;
        }
        if (!Files.isRegularFile(file)) {
            err.println("reel upload: no such file: " + file);
            return 2;
        }
        Duration timeout;
        try {
            timeout = parseDuration(waitTimeout);
        } catch (IllegalArgumentException e) {
            err.println("reel upload: --wait-timeout must look like 90s, 30m or 2h");
            return 2;
        }
        IngestClient client = IngestClient.builder(apiUrl, apiKey).chunkBytes(chunkMib * 1024 * 1024).build();
        ResumeState state = ResumeState.of(stateDir, file, apiUrl);
        UploadResult result;
        try {
            result = client.upload(file, new UploadRequest(title, description, visibility, file.getFileName().toString()),
                    state.uploadUrl().orElse(null), new TerminalListener(state, err));
        } catch (IngestException e) {
            err.println("reel upload: refused: " + e.getMessage());
            if (e.status() != 503) {
                state.clear(); // the server will not take this upload: do not resume into it
            }
            return 1;
        } catch (IOException e) {
            err.println("reel upload: interrupted: " + e.getMessage() + "\nrun the same command again to resume");
            return 1;
        }
        state.clear();
        out.println("video " + result.videoId());
        out.println("status " + result.statusUrl());
        out.println("watch  " + result.watchUrl());
        out.flush();
        if (!await) {
            return 0;
        }
        Set<String> targets = untilPlayable ? Set.of("PLAYABLE", "READY") : Set.of("READY");
        try {
            VideoStatus last = client.waitFor(result.videoId(), targets, timeout, status -> err.printf(Locale.ROOT, "%s %s%s%n",
                    status.state(),
                    "TRANSCODING".equals(status.state()) ? String.format(Locale.ROOT, "%.0f%%", status.progressPercent()) : "",
                    status.failureReason() == null ? "" : ": " + status.failureReason()));
            out.println("state  " + last.state());
            out.flush();
            return last.isFailed() ? 1 : 0;
        } catch (IOException e) {
            err.println("reel upload: " + e.getMessage());
            return 3;
        }
    }

    static Duration parseDuration(String text) {
        var matcher = java.util.regex.Pattern.compile("(\\d+)(s|m|h)").matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(text);
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** Saves the resume state as soon as the upload exists and draws the progress bar. */
    private static final class TerminalListener implements UploadListener {
        private final ResumeState state;
        private final PrintStream err;
        private final ProgressBar bar;

        TerminalListener(ResumeState state, PrintStream err) {
            this.state = state;
            this.err = err;
            this.bar = new ProgressBar(err, System.nanoTime());
        }

        @Override
        public void started(URI uploadUrl, String videoId, long resumedFrom, long total) {
            try {
                state.save(uploadUrl, videoId);
            } catch (IOException e) {
                err.println("reel upload: cannot save resume state (" + e.getMessage()
                        + "); an interruption will restart the upload");
            }
            if (resumedFrom > 0) {
                err.println("resuming " + videoId + " at " + ProgressBar.bytes(resumedFrom) + " of " + ProgressBar.bytes(total));
            }
        }

        @Override
        public void progress(long sent, long total) {
            bar.update(sent, total, System.nanoTime());
        }

        @Override
        public void retrying(int attempt, long pauseMillis, String reason) {
            err.printf(Locale.ROOT, "%nretry %d in %.1f s: %s%n", attempt, pauseMillis / 1000.0, reason);
        }
    }
}
