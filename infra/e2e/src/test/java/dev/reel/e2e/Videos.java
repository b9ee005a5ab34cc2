package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.UploadRequest;
import dev.reel.launcher.ReelPlatform;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short generated sources (ffmpeg's test pattern and a tone: no download) and uploads through the front door. */
final class Videos {

    private final Path dir;
    private final IngestClient client;

    Videos(Path dir, String frontDoor, String apiKey) {
        this.dir = dir;
        this.client = IngestClient.builder(URI.create(frontDoor), apiKey).build();
    }

    /** An H.264 + AAC MP4 of {@code seconds} at {@code height}p (16:9), made once per name. */
    Path source(String name, int seconds, int height) throws IOException, InterruptedException {
        return source(name, seconds, height, List.of());
    }

    /** The same, lossless H.264 (qp 0): a large file from a short video, for uploads that take a while. */
    Path large(String name, int seconds, int height) throws IOException, InterruptedException {
        return source(name, seconds, height, List.of("-qp", "0"));
    }

    private Path source(String name, int seconds, int height, List<String> videoOptions) throws IOException,
            InterruptedException {
        Path file = dir.resolve(name + ".mp4");
        if (Files.exists(file)) {
            return file;
        }
        int width = height * 16 / 9 / 2 * 2;
        List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
        command.addAll(videoOptions);
        command.addAll(List.of("-c:a", "aac", "-shortest", file.toString()));
        Process ffmpeg = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".ffmpeg.log").toFile()).start();
        assertThat(ffmpeg.waitFor(2, TimeUnit.MINUTES)).as("ffmpeg made " + file).isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(dir.resolve(name + ".ffmpeg.log"))).isZero();
        return file;
    }

    /** Uploads with the Java client (tus through HAProxy); returns the new video's id. */
    String upload(Path source, String title) throws IOException, InterruptedException {
        return client.upload(source, new UploadRequest(title, "uploaded by the end-to-end test", "public",
                source.getFileName().toString())).videoId();
    }

    /** `reel upload --wait` as a user types it; returns its output (which names the video). */
    static String uploadWithCli(String frontDoor, String apiKey, Path source, String title, Path stateDir)
            throws IOException, InterruptedException {
        Process cli = new ProcessBuilder(ReelPlatform.javaCommand(List.of("upload", "--api-url", frontDoor, "--api-key", apiKey,
                "--title", title, "--wait", "--wait-timeout", "5m", "--state-dir", stateDir.toString(), source.toString())))
                .redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes());
        assertThat(cli.waitFor(6, TimeUnit.MINUTES)).as("reel upload finished: " + output).isTrue();
        assertThat(cli.exitValue()).as("reel upload exit status; output:\n" + output).isZero();
        return output;
    }
}
