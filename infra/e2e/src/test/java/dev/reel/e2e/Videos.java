package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.UploadListener;
import dev.reel.ingest.client.UploadRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * An H.264 + AAC MP4 of {@code seconds} at {@code height}p (16:9), keyed every 2 s as phones and editors export it
     * (so it plays in browsers as it is, and is passed through), made once per name.
     */
    Path source(String name, int seconds, int height) throws IOException, InterruptedException {
        return make(name, seconds, height, List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50",
                "-keyint_min", "50", "-sc_threshold", "0"));
    }

    /** The same at a capped 4 Mbit/s (within the 1080p rung's cap at 1080p): a standard upload of a phone's recording. */
    Path standard(String name, int seconds, int height) throws IOException, InterruptedException {
        return make(name, seconds, height, List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50",
                "-keyint_min", "50", "-sc_threshold", "0", "-b:v", "4M", "-maxrate", "4M", "-bufsize", "4M"));
    }

    /** Lossless H.264 (qp 0): a large file from a short video, for uploads that take a while. */
    Path large(String name, int seconds, int height) throws IOException, InterruptedException {
        return make(name, seconds, height, List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-qp", "0"));
    }

    /** H.264 4:4:4, which no browser plays as it is: the whole ladder is encoded before anything plays. */
    Path notPlayableAsIs(String name, int seconds, int height) throws IOException, InterruptedException {
        return make(name, seconds, height, List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p"));
    }

    /** HEVC 8-bit 4:2:0 as phones record it: never passed through, so its lowest rung is encoded first. */
    Path hevc(String name, int seconds, int height) throws IOException, InterruptedException {
        return make(name, seconds, height, List.of("-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-tag:v",
                "hvc1", "-x265-params", "keyint=50:min-keyint=50:scenecut=0:log-level=error"));
    }

    private Path make(String name, int seconds, int height, List<String> videoArgs) throws IOException, InterruptedException {
        Path file = dir.resolve(name + ".mp4");
        if (Files.exists(file)) {
            return file;
        }
        int width = height * 16 / 9 / 2 * 2;
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", Integer.toString(seconds)));
        command.addAll(videoArgs);
        command.addAll(List.of("-c:a", "aac", "-shortest", file.toString()));
        Process ffmpeg = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".ffmpeg.log").toFile()).start();
        assertThat(ffmpeg.waitFor(Math.max(120, seconds), TimeUnit.SECONDS)).as("ffmpeg made " + file).isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(dir.resolve(name + ".ffmpeg.log"))).isZero();
        return file;
    }

    /** Uploads with the Java client (tus through HAProxy); returns the new video's id. */
    String upload(Path source, String title) throws IOException, InterruptedException {
        return upload(source, title, UploadListener.NONE);
    }

    /** The same, telling {@code listener} how it goes. */
    String upload(Path source, String title, UploadListener listener) throws IOException, InterruptedException {
        return upload(source, title, "public", listener);
    }

    /** Uploads a video only its owner (the key's) and a playback token's holder may see. */
    String uploadPrivate(Path source, String title) throws IOException, InterruptedException {
        return upload(source, title, "private", UploadListener.NONE);
    }

    private String upload(Path source, String title, String visibility, UploadListener listener)
            throws IOException, InterruptedException {
        return client.upload(source, new UploadRequest(title, "uploaded by the end-to-end test", visibility,
                source.getFileName().toString()), null, listener).videoId();
    }

    /** The token the platform gives the owner to play a private video ({@code POST /api/videos/{id}/playback-token}). */
    String playbackToken(String videoId) throws IOException, InterruptedException {
        return client.playbackToken(videoId);
    }

    /** `reel upload --wait` as a user types it; returns its output (which names the video). */
    static String uploadWithCli(String frontDoor, String apiKey, Path source, String title, Path stateDir)
            throws Exception {
        return ReelCommand.output(Duration.ofMinutes(6), "upload", "--api-url", frontDoor, "--api-key", apiKey, "--title",
                title, "--wait", "--wait-timeout", "5m", "--state-dir", stateDir.toString(), source.toString());
    }
}
