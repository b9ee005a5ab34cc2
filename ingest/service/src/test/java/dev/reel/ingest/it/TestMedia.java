package dev.reel.ingest.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test videos generated with ffmpeg at test time (no binary fixtures): a 10 s 320x240 clip with audio, a larger
 * 720p clip of several S3 parts, an audio-only file, a truncated clip, a text file named .mp4 and an empty file.
 */
public record TestMedia(Path clip, Path big, Path audioOnly, Path truncated, Path text, Path empty) {

    public static TestMedia generate(Path dir) {
        try {
            Path clip = dir.resolve("clip.mp4");
            ffmpeg(dir, "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=10", "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=48000:duration=10", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                    "yuv420p",
                    "-c:a", "aac", "-shortest", clip.toString());
            // Lossless 720p so a few seconds weigh about 14 MB: several 5 MiB parts and a tail.
            Path big = dir.resolve("big.mp4");
            ffmpeg(dir, "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=8", "-f", "lavfi", "-i",
                    "sine=frequency=330:sample_rate=48000:duration=8", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", big.toString());
            Path audio = dir.resolve("audio-only.mp4");
            ffmpeg(dir, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=5", "-c:a", "aac", audio.toString());
            byte[] clipBytes = Files.readAllBytes(clip);
            Path truncated = Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(clipBytes, clipBytes.length / 2));
            Path text = Files.writeString(dir.resolve("notes.mp4"), "These are my notes, not a video.\n".repeat(200),
                    StandardCharsets.UTF_8);
            Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
            return new TestMedia(clip, big, audio, truncated, text, empty);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ffmpeg(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("these tests need ffmpeg and ffprobe on PATH: apt-get install ffmpeg", e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
