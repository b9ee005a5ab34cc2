package dev.reel.transcoder.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.events.ChunkCompleted;
import dev.reel.events.ChunkRequested;
import dev.reel.events.Envelope;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.topics.Topics;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import dev.reel.transcoder.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the test suite (run it by name, see the module README): READY time of one 1080p original no browser
 * plays (4:4:4, the whole ladder encoded, production's planning) on one worker pinned to one core against two workers
 * pinned to a core each ({@code taskset}, ffmpeg on one thread), in one run against the real broker, S3 server and
 * ffmpeg; then (unless {@code -Dbench.cpu=false}), on one worker, the same rungs as one task over the whole video, for
 * the CPU of chunked against one process with production's split of the lowest rung. The lock is production's (30 s).
 */
@RealCluster
class PinnedScalingBenchmark {

    private static final Duration DEADLINE = Duration.ofMinutes(90);
    private final int seconds = Integer.getInteger("bench.seconds", 300);
    private final String preset = System.getProperty("bench.preset", "veryfast");

    @Test
    void oneWorkerPerCore(ClusterEndpoints cluster, @TempDir Path dir) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(cores).as("two cores to pin two workers to").isGreaterThanOrEqualTo(2);
        Uploads.prepareTopics(cluster);
        Path original = TestVideos.generate(dir, "odd", 1920, 1080, seconds, true, TestVideos.H264_444_KEYED_2S);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "Pinned scaling: %d s 1920x1080 25 fps 4:4:4 + "
                + "AAC, preset %s, ffmpeg threads 1, load average at start %s%n", seconds, preset,
                Files.readString(Path.of("/proc/loadavg")).strip()));
        try (Uploads uploads = new Uploads(cluster);
                EventLog transcode = new EventLog(cluster.bootstrapServers(), Topics.TRANSCODE);
                EventLog chunkTasks = new EventLog(cluster.bootstrapServers(), Topics.CHUNKS)) {
            // one share group for every round: a new group would be handed the earlier rounds' tasks again
            String group = "bench-pinned-" + Uploads.newVideoId();
            Round one = round(cluster, dir, group, uploads, transcode, original, 1);
            report.append(one.describe());
            Round two = round(cluster, dir, group, uploads, transcode, original, 2);
            report.append(two.describe());
            report.append(String.format(Locale.ROOT, "READY, 2 workers / 1 worker: %.3f (goal <= 0.55); efficiency %.3f%n",
                    (double) two.readyMillis() / one.readyMillis(), one.readyMillis() / (2.0 * two.readyMillis())));
            report.append(model(one, two));

            if (Boolean.parseBoolean(System.getProperty("bench.cpu", "true"))) {
                report.append(cpuAgainstOneProcess(cluster, dir, group, uploads, transcode, chunkTasks, one));
            }
        }
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "pinned-scaling-benchmark.txt"), report.toString());
    }

    /** The CPU of the one-worker round's video tasks against the same rungs as one task, on one worker. */
    private String cpuAgainstOneProcess(ClusterEndpoints cluster, Path dir, String group, Uploads uploads, EventLog transcode,
            EventLog chunkTasks, Round one) throws Exception {
        List<ChunkRequested> tasks = chunkTasks.events(one.videoId()).stream().map(Envelope::data)
                .filter(ChunkRequested.class::isInstance).map(ChunkRequested.class::cast).toList();
        long chunked = one.results().stream().filter(r -> !r.outputs().getFirst().name().equals("audio"))
                .mapToLong(ChunkCompleted::cpuMillis).sum();
        List<ChildProcess> single = workers(cluster, dir, group, "single", 1);
        try {
            start(single);
            ChunkCompleted whole = SingleProcessEncode.run(uploads, transcode, Uploads.newVideoId(), tasks, DEADLINE);
            return String.format(Locale.ROOT, "CPU of the video ladder: chunked %d ms (%d tasks, %d of them the lowest rung "
                    + "alone), one process %d ms: %.3fx (goal <= 1.10)%n", chunked, tasks.size() - 1,
                    tasks.stream().filter(t -> !t.audio() && t.renditions().size() == 1).count(), whole.cpuMillis(),
                    (double) chunked / whole.cpuMillis());
        } finally {
            single.forEach(w -> w.stop(Duration.ofSeconds(30)));
        }
    }

    /**
     * READY on N workers = the makespan of the tasks in plan order, each taken by whichever worker is free, plus the
     * serial costs (upload event to the first task, last task to READY), from the one-worker round's task wall times
     * (a core each) each with its share of what that worker spent between tasks: checked against the two-worker round, then for this video and one twice as long (10 min for 5)
     * planned the same way (the audio twice as long, the same early chunks, the later ones to twice the chunks).
     */
    private String model(Round one, Round two) {
        List<ChunkCompleted> tasks = one.results().stream().sorted(Comparator.comparingInt(ChunkCompleted::task)).toList();
        long fixed = one.serialMillis();
        // what a worker spends between tasks (delivery, acknowledgement), spread over the tasks
        long handOff = Math.max(0, one.readyMillis() - fixed - tasks.stream().mapToLong(ChunkCompleted::elapsedMillis).sum())
                / tasks.size();
        long[] wall = tasks.stream().mapToLong(t -> t.elapsedMillis() + handOff).toArray();
        List<Long> longer = new ArrayList<>();
        List<Long> ladders = new ArrayList<>();
        List<Long> rests = new ArrayList<>();
        for (ChunkCompleted t : tasks) {
            int outputs = t.outputs().size();
            long cost = t.elapsedMillis() + handOff;
            if (t.outputs().getFirst().name().equals("audio")) {
                longer.add(2 * t.elapsedMillis() + handOff);
            } else if (outputs == 1) {
                longer.add(cost);
            } else if (outputs == tasks.stream().mapToInt(r -> r.outputs().size()).max().orElseThrow()) {
                ladders.add(cost);
            } else {
                rests.add(cost);
            }
        }
        // a video twice as long has twice the chunks, the same early ones: the later chunks' ladders (their measured
        // times repeated) by turns with the early chunks' rests
        List<Long> laddersTwice = new ArrayList<>();
        for (int i = 0; i < 2 * (ladders.size() + rests.size()) - rests.size(); i++) {
            laddersTwice.add(ladders.get(i % ladders.size()));
        }
        for (int l = 0, r = 0; l < laddersTwice.size() || r < rests.size();) {
            if (l < laddersTwice.size()) {
                longer.add(laddersTwice.get(l++));
            }
            if (r < rests.size()) {
                longer.add(rests.get(r++));
            }
        }
        long[] tenMinutes = longer.stream().mapToLong(Long::longValue).toArray();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "model: serial costs %d ms, %d ms between tasks; "
                + "2 workers modelled %.1f s, measured %.1f s%n", fixed, handOff, (makespan(wall, 2) + fixed) / 1000.0,
                two.readyMillis() / 1000.0));
        text.append("N   this video: READY s  efficiency   twice as long: READY s  efficiency\n");
        double t1 = makespan(wall, 1) + fixed;
        double l1 = makespan(tenMinutes, 1) + fixed;
        for (int n : new int[]{1, 2, 8, 32}) {
            double t = makespan(wall, n) + fixed;
            double l = makespan(tenMinutes, n) + fixed;
            text.append(String.format(Locale.ROOT, "%-3d %19.1f %11.3f %23.1f %11.3f%n", n, t / 1000, t1 / (n * t), l / 1000,
                    l1 / (n * l)));
        }
        return text.toString();
    }

    /** When the last task ends if N workers take the tasks in order, each the next one when it is free. */
    static long makespan(long[] cost, int workers) {
        long[] free = new long[workers];
        long end = 0;
        for (long c : cost) {
            int w = 0;
            for (int i = 1; i < workers; i++) {
                if (free[i] < free[w]) {
                    w = i;
                }
            }
            free[w] += c;
            end = Math.max(end, free[w]);
        }
        return end;
    }

    /** One upload of {@code original} on {@code n} workers, worker i pinned to core i. */
    private Round round(ClusterEndpoints cluster, Path dir, String group, Uploads uploads, EventLog transcode, Path original,
            int n) throws Exception {
        List<ChildProcess> workers = workers(cluster, dir, group, "n" + n, n);
        try {
            start(workers);
            String videoId = Uploads.newVideoId();
            uploads.upload(videoId, original, 1920, 1080, seconds, true);
            Instant sent = Instant.now(); // the upload event, once the original is stored
            List<Envelope<?>> events = transcode.await(videoId, "transcode.completed", DEADLINE,
                    e -> EventLog.has(e, TranscodeCompleted.class));
            long ready = Duration.between(sent, events.getLast().time()).toMillis();
            List<Envelope<?>> done = events.stream().filter(e -> e.data() instanceof ChunkCompleted).toList();
            List<ChunkCompleted> results = done.stream().map(e -> (ChunkCompleted) e.data()).toList();
            // before the first task (intake: probe, plan) and after the last (assembly): no worker can share these
            Instant firstStart = done.stream().map(e -> e.time().minusMillis(((ChunkCompleted) e.data()).elapsedMillis()))
                    .min(Comparator.naturalOrder()).orElseThrow();
            Instant lastEnd = done.stream().map(Envelope::time).max(Comparator.naturalOrder()).orElseThrow();
            long serial = Duration.between(sent, firstStart).toMillis() + Duration.between(lastEnd, events.getLast().time())
                    .toMillis();
            return new Round(n, videoId, ready, serial, results);
        } finally {
            workers.forEach(w -> w.stop(Duration.ofSeconds(30)));
        }
    }

    private static void start(List<ChildProcess> workers) {
        workers.forEach(ChildProcess::start);
        for (ChildProcess w : workers) {
            Await.until(w.name() + " to take jobs", Duration.ofMinutes(2),
                    () -> w.logTail(50).contains("transcoder " + w.name() + " up"), workers);
        }
    }

    /** {@code n} worker JVMs of one share group, the i-th (and its ffmpeg children) pinned to core i. */
    private List<ChildProcess> workers(ClusterEndpoints cluster, Path dir, String group, String round, int n)
            throws Exception {
        List<ChildProcess> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = round + "w" + i;
            Map<String, String> env = new HashMap<>(
                    WorkerEnv.of(cluster, group, name, Files.createDirectories(dir.resolve(name))));
            env.put("REEL_TRANSCODER_PRESET", preset);
            env.put("REEL_TRANSCODER_FFMPEG_THREADS", "1");
            env.put("REEL_TRANSCODER_MAX_ATTEMPTS", "3");
            env.put("REEL_TRANSCODER_NICE", "0");
            List<String> command = List.of("taskset", "-c", Integer.toString(i),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:ActiveProcessorCount=1",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName());
            workers.add(new ChildProcess(name, command, env, dir,
                    Path.of("target", "pinned-logs", name + ".log").toAbsolutePath()));
        }
        return workers;
    }

    private record Round(int workers, String videoId, long readyMillis, long serialMillis, List<ChunkCompleted> results) {

        String describe() {
            long cpu = results.stream().mapToLong(ChunkCompleted::cpuMillis).sum();
            long wall = results.stream().mapToLong(ChunkCompleted::elapsedMillis).sum();
            return String.format(Locale.ROOT, "%d worker(s): upload event -> READY %.1f s; %d tasks, CPU %.1f s, task wall "
                    + "%.1f s%n", workers, readyMillis / 1000.0, results.size(), cpu / 1000.0, wall / 1000.0);
        }
    }
}
