package dev.reel.transcoder.it;

import dev.reel.events.Envelope;
import dev.reel.events.RenditionReady;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.topics.Topics;
import dev.reel.service.config.Env;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import dev.reel.transcoder.TranscoderConfig;
import dev.reel.transcoder.TranscoderWorker;
import dev.reel.transcoder.ffmpeg.EncoderSettings;
import dev.reel.transcoder.ffmpeg.FfmpegCommand;
import dev.reel.transcoder.ffmpeg.ProbedSource;
import dev.reel.transcoder.ffmpeg.SourceInfo;
import dev.reel.transcoder.ffmpeg.SourceProbe;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.ladder.PlannedRendition;
import dev.reel.transcoder.ladder.Rung;
import dev.reel.transcoder.plan.SegmentPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not a test: the benchmark the transcoder's README reports. On one generated 1080p source, in one run and
 * interleaved, it times (a) Reel's worker end to end, from the upload event to transcode.completed, and within it the
 * first playable moment (the first rendition.ready, growing or complete), (b) the bare
 * ffmpeg command of the same ladder writing to local disk, (c) one ffmpeg per rendition, one after another. Run it
 * with {@code infra/mvn -pl transcoder verify -Dit.test=LadderBenchmark -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.seconds=60 -Dbench.repetitions=3 -Dbench.preset=veryfast} are the defaults). Results go to the
 * log and to {@code target/ladder-benchmark.txt}.
 */
@RealCluster
class LadderBenchmark {

    private static final Logger log = LoggerFactory.getLogger(LadderBenchmark.class);

    private final int seconds = Integer.getInteger("bench.seconds", 60);
    private final int repetitions = Integer.getInteger("bench.repetitions", 3);
    private final String preset = System.getProperty("bench.preset", "veryfast");

    private record Run(double a, double firstPlayable, double b, double c) {
    }

    @Test
    void ladder(ClusterEndpoints cluster, @TempDir Path dir) throws Exception {
        Uploads.prepareTopics(cluster);
        // a camera-like original (H.264 at 8 Mbit/s, AAC), not ultrafast's huge file: every contender reads the same bytes
        Path source = dir.resolve("bench.mp4");
        TestVideos.run(
                List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25:duration=" + seconds,
                        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:v", "libx264",
                        "-preset", "veryfast",
                        "-b:v", "8M", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", source.toString()));
        EncoderSettings settings = new EncoderSettings("ffmpeg", "ffprobe", preset, 0, 4, 0);
        SourceProbe probe = new SourceProbe("ffprobe");
        ProbedSource probed = probe.probe(source.toString());
        SourceInfo info = probed.info();
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(info);
        VideoPackets packets = probe.packets(source.toString(), probed.video());
        SegmentPlan cuts = SegmentPlan.every(packets.timeBase(), packets.start(), packets.end(), 4);

        List<Run> runs = new ArrayList<>();
        Map<String, String> env = new java.util.HashMap<>(WorkerEnv.of(cluster, "bench-" + Uploads.newVideoId(), "bench",
                Files.createDirectories(dir.resolve("scratch"))));
        env.put("REEL_TRANSCODER_PRESET", preset);
        env.remove("REEL_TRANSCODER_FFMPEG_THREADS"); // ffmpeg's own choice, as in (b) and (c)
        try (Uploads uploads = new Uploads(cluster);
                EventLog transcode = new EventLog(cluster.bootstrapServers(), Topics.TRANSCODE);
                TranscoderWorker worker = TranscoderWorker.start(TranscoderConfig.from(new Env(env)))) {
            for (int i = 0; i < repetitions; i++) {
                // (a) the worker, from the upload event to transcode.completed
                String videoId = Uploads.newVideoId();
                uploads.upload(videoId, source, 1920, 1080, seconds, true); // stores the original, then publishes the event
                long published = System.currentTimeMillis();
                List<Envelope<?>> events = transcode.await(videoId, "transcode.completed", Duration.ofMinutes(15),
                        e -> EventLog.has(e, TranscodeCompleted.class));
                Envelope<?> completed = events.stream().filter(e -> e.data() instanceof TranscodeCompleted).findFirst()
                        .orElseThrow();
                Envelope<?> firstReady = events.stream().filter(e -> e.data() instanceof RenditionReady).findFirst()
                        .orElseThrow();
                double a = (completed.time().toEpochMilli() - published) / 1000.0;
                double firstPlayable = (firstReady.time().toEpochMilli() - published) / 1000.0;
                // (b) the same one ffmpeg command, local disk to local disk
                double b = time(() -> TestVideos.run(FfmpegCommand.ladder(source.toString(), probed, plan, cuts, "audio",
                        settings, Files.createTempDirectory(dir, "b-"))));
                // (c) one ffmpeg per rendition, one after another
                double c = time(() -> {
                    Path out = Files.createTempDirectory(dir, "c-");
                    for (PlannedRendition rendition : plan) {
                        TestVideos.run(singleRendition(source, info, rendition, settings, out));
                    }
                });
                runs.add(new Run(a, firstPlayable, b, c));
            }
        }
        String report = format(runs, plan);
        log.info("\n{}", report);
        Files.writeString(Path.of("target", "ladder-benchmark.txt"), report);
    }

    private String format(List<Run> runs, List<PlannedRendition> plan) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Ladder benchmark: %d s %s source, ladder %s, preset %s, %d repetition(s), %d cores%n",
                seconds, "1920x1080 25 fps + AAC", plan.stream().map(PlannedRendition::name).toList(), preset, runs.size(),
                Runtime.getRuntime().availableProcessors()));
        out.append(
                "rep    a: worker   (speed)   b: ffmpeg   (speed)   c: per rendition (speed)   a/b    c/a    first playable/a\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            out.append(String.format(Locale.ROOT,
                    "%-5d %8.1f s  (%4.2fx)   %8.1f s  (%4.2fx)   %8.1f s        (%4.2fx)   %5.2f  %5.2f  %5.2f%n",
                    i + 1, r.a, seconds / r.a, r.b, seconds / r.b, r.c, seconds / r.c, r.a / r.b, r.c / r.a,
                    r.firstPlayable / r.a));
        }
        Run m = new Run(median(runs.stream().map(Run::a).toList()), median(runs.stream().map(Run::firstPlayable).toList()),
                median(runs.stream().map(Run::b).toList()), median(runs.stream().map(Run::c).toList()));
        out.append(String.format(Locale.ROOT,
                "median %7.1f s  (%4.2fx)   %8.1f s  (%4.2fx)   %8.1f s        (%4.2fx)   %5.2f  %5.2f  %5.2f%n",
                m.a, seconds / m.a, m.b, seconds / m.b, m.c, seconds / m.c, m.a / m.b, m.c / m.a, m.firstPlayable / m.a));
        return out.toString();
    }

    /** The usual approach: the same rendition, keyframes and HLS output, from its own ffmpeg that decodes the source again. */
    private static List<String> singleRendition(Path source, SourceInfo info, PlannedRendition r, EncoderSettings settings,
            Path out) {
        Rung rung = r.rung();
        int gop = (int) Math.round(r.frameRate() * settings.segmentSeconds());
        return List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-y", "-i", source.toString(),
                "-vf", "scale=" + r.width() + ":" + r.height() + ",setsar=1", "-c:v", "libx264", "-preset", settings.preset(),
                "-pix_fmt", "yuv420p", "-profile:v", rung.profile(), "-level:v", r.level().name(), "-b:v", rung.videoKbps() + "k",
                "-maxrate:v", rung.maxrateKbps() + "k", "-bufsize:v", rung.bufsizeKbps() + "k", "-g", Integer.toString(gop),
                "-keyint_min", Integer.toString(gop), "-sc_threshold", "0", "-force_key_frames",
                "expr:gte(t,n_forced*" + settings.segmentSeconds() + ")", "-c:a", "aac", "-ac", "2", "-ar", "48000",
                "-b:a", FfmpegCommand.AUDIO_KBPS + "k", "-f", "hls", "-hls_time", Integer.toString(settings.segmentSeconds()),
                "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
                "-start_number", "1", "-hls_segment_filename", out.resolve(r.name() + "-seg-%05d.m4s").toString(),
                out.resolve(r.name() + ".m3u8").toString());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double time(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0;
    }
}
