package dev.reel.transcoder.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.ChunkRequested;
import dev.reel.transcoder.ffmpeg.EncoderSettings;
import dev.reel.transcoder.ffmpeg.FfmpegCommand;
import dev.reel.transcoder.ffmpeg.FfmpegRun;
import dev.reel.transcoder.ffmpeg.ProbedSource;
import dev.reel.transcoder.ffmpeg.SourceProbe;
import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.plan.Passthrough;
import dev.reel.transcoder.plan.VideoPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the test suite (run it by name, see the module README): the CPU a video's ladder costs with its
 * storyboard tiles against without, same plan, same ladder, same commands but for the tiles' branch, side by side in
 * one run (each task run with and without tiles alternately, {@code bench.reps} times; ffmpeg on one thread so CPU times
 * add up). A 1080p25 original no browser plays (4:4:4), so every rung is encoded: the lowest rung's tasks (no tiles)
 * and the chunks' other rungs (with their tiles). Needs only ffmpeg: the commands are the worker's own.
 */
class StoryboardBenchmark {

    private final int seconds = Integer.getInteger("bench.seconds", 24);
    private final int reps = Integer.getInteger("bench.reps", 2);
    private final String preset = System.getProperty("bench.preset", "veryfast");

    @Test
    void ladderCpuWithAndWithoutStoryboardTiles(@TempDir Path dir) throws Exception {
        Path original = TestVideos.generate(dir, "odd", 1920, 1080, seconds, false, TestVideos.H264_444_KEYED_2S);
        EncoderSettings settings = new EncoderSettings("ffmpeg", "ffprobe", preset, 1, 4, 0);
        SourceProbe probe = new SourceProbe("ffprobe");
        ProbedSource source = probe.probe(original.toString());
        VideoPlan plan = VideoPlan.of("bench", "originals/bench/source", source, probe.packets(original.toString(),
                source.video()), LadderTable.DEFAULT,
                new VideoPlan.Settings(4, 8, 16, 120, preset, new Passthrough.Limits(10, 2.0)));
        List<ChunkRequested> tasks = plan.requests().stream().filter(t -> !t.audio()).toList();
        assertThat(tasks).anyMatch(t -> t.storyboard() != null);

        long with = 0;
        long without = 0;
        long withTiled = 0;
        long withoutTiled = 0;
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "Storyboard benchmark: %d s 1920x1080 25 fps "
                + "4:4:4 (whole ladder encoded), preset %s, ffmpeg threads 1, %d rep(s), %d tiles, load average at start %s%n",
                seconds, preset, reps, plan.storyboard().storyboard().tiles(),
                Files.readString(Path.of("/proc/loadavg")).strip()));
        report.append("task  renditions                       tiles   CPU ms with   CPU ms without\n");
        for (ChunkRequested task : tasks) {
            ChunkRequested plain = new ChunkRequested(task.videoId(), task.planId(), task.task(), task.taskCount(),
                    task.objectKey(), task.timeBaseNum(), task.timeBaseDen(), task.sourceFrameRate(), task.videoStart(),
                    task.start(), task.end(), task.cuts(), task.firstSegment(), task.renditions(), task.preset());
            long a = 0;
            long b = 0;
            for (int r = 0; r < reps; r++) {
                // alternately, so load that comes and goes falls on both
                a += cpu(original, task, settings, dir.resolve("with-" + task.task() + "-" + r));
                b += cpu(original, plain, settings, dir.resolve("without-" + task.task() + "-" + r));
            }
            with += a;
            without += b;
            if (task.storyboard() != null) {
                withTiled += a;
                withoutTiled += b;
            }
            report.append(String.format(Locale.ROOT, "%4d  %-32s %5d %13d %16d%n", task.task(),
                    task.renditions().stream().map(x -> x.name()).toList(),
                    task.storyboard() == null ? 0 : task.storyboard().frames().size(), a / reps, b / reps));
        }
        report.append(String.format(Locale.ROOT, "CPU of the ladder: with storyboard %d ms, without %d ms: %.3fx "
                + "(the tasks that make tiles alone: %.3fx)%n", with / reps, without / reps, (double) with / without,
                (double) withTiled / withoutTiled));
        System.out.print(report);
        Files.writeString(Path.of("target", "storyboard-benchmark.txt"), report);
    }

    private static long cpu(Path original, ChunkRequested task, EncoderSettings settings, Path out) throws Exception {
        Files.createDirectories(out.resolve(FfmpegCommand.TILES_DIR));
        for (var r : task.renditions()) {
            Files.createDirectories(out.resolve(r.name()));
        }
        try (FfmpegRun ffmpeg = FfmpegRun.start(FfmpegCommand.chunk(original.toString(), task, settings, out), "bench", p -> {
        })) {
            ffmpeg.requireSuccess();
            long cpu = ffmpeg.cpuMillis();
            if (task.storyboard() != null) {
                try (var tiles = Files.list(out.resolve(FfmpegCommand.TILES_DIR))) {
                    assertThat(tiles.count()).isEqualTo(task.storyboard().frames().size());
                }
            }
            return cpu;
        } finally {
            try (var files = Files.walk(out)) {
                new ArrayList<>(files.toList()).reversed().forEach(p -> p.toFile().delete());
            }
        }
    }
}
