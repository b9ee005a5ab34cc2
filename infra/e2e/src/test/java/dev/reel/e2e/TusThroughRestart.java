package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tus-js-client 4.3.1 (the client Uppy and browsers use) uploading a large file through the front door: started as a
 * node process, watched line by line, so a test can kill an ingest instance while the bytes flow.
 */
final class TusThroughRestart implements AutoCloseable {

    private static final Pattern DONE = Pattern.compile("done (\\S+) creations=(\\d+) sent=(\\d+)");
    private static final Pattern PATCH = Pattern.compile("patch (\\d+) (\\d+)");

    record Result(String url, int creations, long sent, List<String> lines) {
        String videoId() {
            return url.substring(url.lastIndexOf('/') + 1);
        }
    }

    private final Process node;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> passedThird = new CompletableFuture<>();
    private final CompletableFuture<Void> firstChunk = new CompletableFuture<>();
    private final CompletableFuture<Result> finished = new CompletableFuture<>();

    private TusThroughRestart(Process node) {
        this.node = node;
        Thread.ofPlatform().daemon().name("tus-js-client-output").start(this::read);
    }

    /** Starts the upload of {@code file} in {@code chunkBytes} PATCHes, each after {@code pauseMillis}. */
    static TusThroughRestart start(Path npmDir, String endpoint, Path file, String apiKey, int chunkBytes, int pauseMillis)
            throws IOException, InterruptedException {
        Path script = install(npmDir);
        Process node = new ProcessBuilder("node", script.toString(), endpoint, file.toString(), apiKey,
                "Uploaded through an ingest restart", Integer.toString(chunkBytes), Integer.toString(pauseMillis))
                .redirectErrorStream(true).start();
        return new TusThroughRestart(node);
    }

    /** Completes once the server acknowledged a first chunk. */
    CompletableFuture<Void> firstChunkAcknowledged() {
        return firstChunk;
    }

    /** Completes as the first PATCH past a third of the file starts sending its body. */
    CompletableFuture<Void> patchingPastAThird() {
        return passedThird;
    }

    Result await(long minutes) throws Exception {
        return finished.get(minutes, TimeUnit.MINUTES);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("progress ")) {
                    firstChunk.complete(null);
                }
                Matcher patch = PATCH.matcher(line);
                if (patch.matches() && Long.parseLong(patch.group(1)) * 3 >= Long.parseLong(patch.group(2))) {
                    passedThird.complete(null);
                }
                Matcher done = DONE.matcher(line);
                if (done.matches()) {
                    finished.complete(new Result(done.group(1), Integer.parseInt(done.group(2)),
                            Long.parseLong(done.group(3)), List.copyOf(lines)));
                }
            }
        } catch (IOException e) {
            finished.completeExceptionally(e);
        }
        IllegalStateException ended = new IllegalStateException("tus-js-client ended without success:\n"
                + String.join("\n", lines));
        passedThird.completeExceptionally(ended);
        firstChunk.completeExceptionally(ended);
        finished.completeExceptionally(ended);
    }

    /** {@code npm install} of the pinned tus-js-client into {@code npmDir}, once. */
    private static Path install(Path npmDir) throws IOException, InterruptedException {
        Files.createDirectories(npmDir);
        for (String file : List.of("package.json", "resume.mjs")) {
            try (InputStream in = TusThroughRestart.class.getResourceAsStream("/tus-js/" + file)) {
                Files.copy(in, npmDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(npmDir.resolve("node_modules/tus-js-client"))) {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(npmDir.toFile()).redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0).as("npm install tus-js-client: " + output)
                    .isTrue();
        }
        return npmDir.resolve("resume.mjs").toAbsolutePath();
    }

    @Override
    public void close() {
        node.destroy();
    }
}
