package dev.reel.transcoder.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.ChunkCompleted;
import dev.reel.events.ChunkRequested;
import dev.reel.events.Envelope;
import dev.reel.events.RenditionReady;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.topics.Topics;
import dev.reel.service.config.Env;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import dev.reel.transcoder.TranscoderConfig;
import dev.reel.transcoder.TranscoderWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the test suite (run it by name, see the module README): in one run against the real broker, S3 server
 * and ffmpeg, with one worker in this JVM (ffmpeg on one thread, so CPU times add up per task):
 * <ol>
 *   <li>a 1080p25 standard original (H.264 4:2:0 keyed every 2 s, AAC): upload event to the first rendition with
 *       pictures (the passthrough), i.e. PLAYABLE as far as the transcoder is concerned; the CPU of its chunk tasks
 *       (every rung below the copy, one decode per chunk) against the same rungs in one process;</li>
 *   <li>a 1080p25 original no browser plays (4:4:4, AAC): the whole ladder in chunk tasks; the first playable
 *       rendition, READY, every task's CPU and wall time;</li>
 *   <li>the same rungs as one task over the whole video (the single-process encode): its CPU.</li>
 * </ol>
 * Scaling over workers, measured by pinning and modelled beyond: {@link PinnedScalingBenchmark}.
 */
@RealCluster
class ChunkBenchmark {

    private static final Duration DEADLINE = Duration.ofMinutes(60);
    private final int seconds = Integer.getInteger("bench.seconds", 32);
    private final String preset = System.getProperty("bench.preset", "veryfast");

    @Test
    void chunkedLadderAgainstOneProcess(ClusterEndpoints cluster, @TempDir Path dir) throws Exception {
        Uploads.prepareTopics(cluster);
        Map<String, String> env = new HashMap<>(WorkerEnv.of(cluster, "bench-" + Uploads.newVideoId(), "bench",
                Files.createDirectories(dir.resolve("scratch"))));
        env.put("REEL_TRANSCODER_PRESET", preset);
        env.put("REEL_TRANSCODER_FFMPEG_THREADS", "1");
        env.put("REEL_TRANSCODER_LOCK_DURATION", "60s");
        StringBuilder report = new StringBuilder();
        try (Uploads uploads = new Uploads(cluster);
                EventLog transcode = new EventLog(cluster.bootstrapServers(), Topics.TRANSCODE);
                EventLog chunkTasks = new EventLog(cluster.bootstrapServers(), Topics.CHUNKS);
                TranscoderWorker worker = TranscoderWorker.start(TranscoderConfig.from(new Env(env)))) {
            Path standard = TestVideos.generate(dir, "standard", 1920, 1080, seconds, true, TestVideos.standard(5_000, 50));
            Path odd = TestVideos.generate(dir, "odd", 1920, 1080, seconds, true, TestVideos.H264_444_KEYED_2S);
            report.append(String.format(Locale.ROOT, "Chunk benchmark: %d s 1920x1080 25 fps + AAC, preset %s, ffmpeg threads 1, "
                    + "%d cores, load average at start %s%n", seconds, preset, Runtime.getRuntime().availableProcessors(),
                    Files.readString(Path.of("/proc/loadavg")).strip()));

            String standardId = Uploads.newVideoId();
            Instant sent = Instant.now();
            uploads.upload(standardId, standard, 1920, 1080, seconds, true);
            List<Envelope<?>> copied = transcode.await(standardId, "the passthrough", DEADLINE, ChunkBenchmark::hasPictures);
            report.append(String.format(Locale.ROOT, "standard input: upload event -> first rendition with pictures %.2f s%n",
                    millisBetween(sent, firstPictures(copied).time()) / 1000.0));
            List<ChunkCompleted> standardResults = transcode.await(standardId, "transcode.completed", DEADLINE,
                    e -> EventLog.has(e, TranscodeCompleted.class)).stream().map(Envelope::data)
                    .filter(ChunkCompleted.class::isInstance).map(ChunkCompleted.class::cast).toList();
            List<ChunkRequested> standardTasks = chunkTasks.events(standardId).stream().map(Envelope::data)
                    .filter(ChunkRequested.class::isInstance).map(ChunkRequested.class::cast).toList();
            ChunkCompleted standardSingle = SingleProcessEncode.run(uploads, transcode, Uploads.newVideoId(), standardTasks,
                    DEADLINE);
            long standardCpu = standardResults.stream().mapToLong(ChunkCompleted::cpuMillis).sum();
            report.append(String.format(Locale.ROOT, "standard input, the ladder below the copy (%s) in %d chunk tasks: CPU "
                    + "%d ms, one process %d ms: %.3fx%n",
                    standardTasks.getFirst().renditions().stream()
                            .map(r -> r.name()).toList(),
                    standardResults.size(), standardCpu, standardSingle.cpuMillis(),
                    (double) standardCpu / standardSingle.cpuMillis()));

            String oddId = Uploads.newVideoId();
            sent = Instant.now();
            uploads.upload(oddId, odd, 1920, 1080, seconds, true);
            List<Envelope<?>> events = transcode.await(oddId, "transcode.completed", DEADLINE,
                    e -> EventLog.has(e, TranscodeCompleted.class));
            Instant ready = events.getLast().time();
            List<ChunkCompleted> results = events.stream().map(Envelope::data).filter(ChunkCompleted.class::isInstance)
                    .map(ChunkCompleted.class::cast).sorted((a, b) -> Integer.compare(a.task(), b.task())).toList();
            List<ChunkRequested> tasks = chunkTasks.events(oddId).stream().map(Envelope::data)
                    .filter(ChunkRequested.class::isInstance).map(ChunkRequested.class::cast).toList();
            assertThat(results).hasSameSizeAs(tasks);
            report.append(String.format(Locale.ROOT, "4:4:4 input: upload event -> first rendition with pictures %.2f s, "
                    + "-> READY %.2f s, %d tasks%n", millisBetween(sent, firstPictures(events).time()) / 1000.0,
                    millisBetween(sent, ready) / 1000.0, results.size()));
            report.append("task  renditions                      wall ms   CPU ms\n");
            for (ChunkCompleted r : results) {
                report.append(String.format(Locale.ROOT, "%4d  %-30s %8d %8d%n", r.task(),
                        r.outputs().stream().map(ChunkCompleted.ChunkOutput::name).toList(), r.elapsedMillis(), r.cpuMillis()));
            }

            ChunkCompleted single = SingleProcessEncode.run(uploads, transcode, Uploads.newVideoId(), tasks, DEADLINE);
            long chunkedVideoCpu = results.stream().filter(r -> !r.outputs().getFirst().name().equals("audio"))
                    .mapToLong(ChunkCompleted::cpuMillis).sum();
            report.append(String.format(Locale.ROOT, "CPU of the video ladder: chunked %d ms, one process %d ms: %.3fx "
                    + "(wall: one process %d ms)%n", chunkedVideoCpu, single.cpuMillis(),
                    (double) chunkedVideoCpu / single.cpuMillis(), single.elapsedMillis()));

        }
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "chunk-benchmark.txt"), report.toString());
    }

    private static boolean hasPictures(List<Envelope<?>> events) {
        return events.stream().anyMatch(e -> e.data() instanceof RenditionReady r && r.rendition().hasVideo());
    }

    private static Envelope<?> firstPictures(List<Envelope<?>> events) {
        return events.stream().filter(e -> e.data() instanceof RenditionReady r && r.rendition().hasVideo()).findFirst()
                .orElseThrow();
    }

    private static long millisBetween(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }
}
