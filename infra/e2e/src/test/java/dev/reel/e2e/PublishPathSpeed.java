package dev.reel.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How fast this machine, as it is now, does the fixed work of the publish path: the two ffprobes, the 1 s decode check
 * and the fMP4 HLS remux that stand between an upload's last byte and its first picture (the "alone" figure of
 * {@code transcoder/bench/encode-priority.sh}, the same commands). Issue #14's "playing within 5 s of the last byte" was
 * met on a machine that did this work in 546-727 ms (transcoder README, "Priority of chunk encodes"); a machine that
 * needs twice as long for the same processes needs about twice as long for the figure, so the check's bound scales with
 * this measurement (never below 5 s) instead of failing on a slow or busy host.
 */
final class PublishPathSpeed {

    /** The reference machine's time for the work, within its measured 546-727 ms. */
    static final Duration REFERENCE = Duration.ofMillis(700);

    private PublishPathSpeed() {
    }

    /** The median of {@code runs} runs of the work on {@code original} (30 s of H.264 and AAC, as the check uploads). */
    static Duration measure(Path original, Path work, int runs) throws IOException, InterruptedException {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Path out = Files.createDirectories(work.resolve("publish-path-" + i));
            Files.createDirectories(out.resolve("v"));
            Files.createDirectories(out.resolve("a"));
            String in = original.toString();
            long start = System.nanoTime();
            run(out, "ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", in);
            run(out, "ffprobe", "-v", "error", "-select_streams", "0", "-show_entries", "packet=pts,dts,duration,size,flags",
                    "-of", "compact=p=0", in);
            run(out, "ffmpeg", "-v", "error", "-nostdin", "-t", "1", "-i", in, "-map", "0:0", "-f", "null", "-");
            run(out, "ffmpeg", "-v", "error", "-nostdin", "-copyts", "-i", in, "-map", "0:0", "-map", "0:1", "-c", "copy",
                    "-f", "hls", "-hls_time", "4", "-hls_segment_type", "fmp4", "-hls_playlist_type", "vod",
                    "-var_stream_map", "v:0,name:v a:0,name:a", out.resolve("%v").resolve("index.m3u8").toString());
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        return Duration.ofMillis(millis.stream().sorted().toList().get(runs / 2));
    }

    /** How many times slower than the reference machine {@code measured} is, at least 1. */
    static double factor(Duration measured) {
        return Math.max(1.0, (double) measured.toMillis() / REFERENCE.toMillis());
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
    }
}
