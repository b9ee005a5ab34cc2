package dev.reel.transcoder.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Sources made by ffmpeg's test generators (no download), and a corrupt one. */
final class TestVideos {

    private TestVideos() {
    }

    /** H.264 with x264's defaults (a keyframe every 10 s at 25 fps). */
    static final List<String> H264 = List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
    /** H.264 4:4:4 (High 4:4:4 Predictive): decodes everywhere ffmpeg runs, plays in no browser as it is. */
    static final List<String> H264_444 = List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p");
    /** The same, keyed every 2 s (at 25 fps): chunks can start every 2 s. */
    static final List<String> H264_444_KEYED_2S = List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p",
            "-g", "50", "-keyint_min", "50", "-sc_threshold", "0");

    /** H.264 as a phone or an editor exports it: 8-bit 4:2:0, a keyframe every {@code gop} frames, a capped bit rate. */
    static List<String> standard(int kbps, int gop) {
        return List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", Integer.toString(gop),
                "-keyint_min", Integer.toString(gop), "-sc_threshold", "0", "-b:v", kbps + "k", "-maxrate", kbps + "k",
                "-bufsize", kbps + "k");
    }

    /** A moving test pattern, with a 440 Hz tone when {@code audio}; MP4 with its index at the end (as cameras write it). */
    static Path generate(Path dir, String name, int width, int height, int seconds, boolean audio) throws Exception {
        return generate(dir, name, width, height, seconds, audio, H264);
    }

    /** The same, its video encoded with {@code videoArgs}; the tone, if any, as AAC-LC. */
    static Path generate(Path dir, String name, int width, int height, int seconds, boolean audio, List<String> videoArgs)
            throws Exception {
        Path out = dir.resolve(name + ".mp4");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=25:duration=" + seconds));
        if (audio) {
            cmd.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:a", "aac",
                    "-shortest"));
        }
        cmd.addAll(videoArgs);
        cmd.add(out.toString());
        run(cmd);
        return out;
    }

    /** A real MP4 whose header (ftyp, moov) is intact and whose media data is replaced by random bytes. */
    static Path corrupt(Path dir, Path valid) throws Exception {
        Path out = dir.resolve("corrupt.mp4");
        // faststart puts moov before mdat, so the header survives and only the media is garbage
        run(List.of("ffmpeg", "-v", "error", "-y", "-i", valid.toString(), "-c", "copy", "-movflags", "+faststart",
                out.toString()));
        byte[] bytes = Files.readAllBytes(out);
        int mdat = indexOf(bytes, "mdat".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] garbage = new byte[bytes.length - mdat - 4];
        new Random(42).nextBytes(garbage);
        try (RandomAccessFile file = new RandomAccessFile(out.toFile(), "rw")) {
            file.seek(mdat + 4);
            file.write(garbage);
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer : for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }
}
