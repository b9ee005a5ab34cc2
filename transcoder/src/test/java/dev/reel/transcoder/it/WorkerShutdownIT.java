package dev.reel.transcoder.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.events.ChunkCompleted;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of a chunk: the worker (a separate JVM, as in production) stops taking tasks, gives the
 * running chunk its grace period, then stops it and releases the task to the group, and exits in order. The task is
 * taken again at once, not when its acquisition lock would have run out, and the video is completed exactly once.
 */
@RealCluster
class WorkerShutdownIT {

    private static final Duration DEADLINE = Duration.ofMinutes(3);
    /** Shorter than the job, so the grace runs out mid-job and the job must be released. */
    private static final Duration GRACE = Duration.ofSeconds(5);
    /** The longest lock a group may have: an upload abandoned without a release would come back only after it. */
    private static final Duration LOCK = Duration.ofSeconds(60);
    /** What a worker may take to close its clients after the grace (JobConsumer's commit timeout and more). */
    private static final Duration CLOSING = Duration.ofSeconds(30);
    /** The JVM's exit status after its shutdown hooks ran on SIGTERM (128 + 15); a crash or SIGKILL gives another. */
    private static final int ORDERLY_EXIT_ON_SIGTERM = 143;

    @Test
    void sigtermMidChunkReleasesTheChunkAfterTheGracePeriodAndExitsInOrder(ClusterEndpoints cluster, @TempDir Path dir)
            throws Exception {
        Uploads.prepareTopics(cluster);
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        String group = "it-shutdown-" + Uploads.newVideoId();
        ChildProcess worker = worker(cluster, group, 1, scratch, dir);
        // the same worker started again, with two chunk slots: the released chunk and the one never started are
        // encoded side by side (each is read at real time)
        ChildProcess restarted = worker(cluster, group, 2, scratch, dir);
        try (Uploads uploads = new Uploads(cluster);
                EventLog transcode = new EventLog(cluster.bootstrapServers(), Topics.TRANSCODE)) {
            worker.start();
            awaitUp(worker);
            String videoId = Uploads.newVideoId();
            // 16 s of 4:4:4 (no passthrough), silent, 320x240 (one rung): two 8 s chunks read at real time, each
            // outlasting the grace period
            uploads.upload(videoId, TestVideos.generate(dir, "clip", 320, 240, 16, false, TestVideos.H264_444_KEYED_2S), 320,
                    240, 16, false);
            Await.until("a chunk to be encoding", DEADLINE, () -> worker.logTail(30).contains(videoId + " task 0 of 2"),
                    List.of(worker));

            Instant sigterm = Instant.now();
            assertThat(worker.stop(GRACE.plus(CLOSING))).as("the worker exits by itself after the grace period").isTrue();
            assertThat(worker.exitValue()).isEqualTo(ORDERLY_EXIT_ON_SIGTERM);
            assertThat(worker.logTail(80)).contains("shutdown grace over",
                    "chunk of " + videoId + " stopped by shutdown: released",
                    "transcoder w1 stopped");
            assertThat(EventLog.has(transcode.events(videoId), TranscodeCompleted.class)).as("stopped, not finished").isFalse();
            assertThat(Files.list(scratch).filter(p -> !p.getFileName().toString().startsWith("assembler")).toList())
                    .as("the stopped attempt's scratch space is deleted").isEmpty();

            restarted.start();
            List<Envelope<?>> events = transcode.await(videoId, "transcode.completed", DEADLINE,
                    e -> EventLog.has(e, TranscodeCompleted.class));
            ChunkCompleted first = events.stream().map(Envelope::data).filter(d -> d instanceof ChunkCompleted c && c.task() == 0)
                    .map(ChunkCompleted.class::cast).findFirst().orElseThrow();
            assertThat(first.attempt()).as("the release counted as a delivery").isEqualTo(2);
            // Released, the task was available at once: the restarted worker took it well before the lock of the
            // first delivery could have run out (which is when a task abandoned without a release comes back).
            Envelope<?> done = events.stream().filter(e -> e.data() == first).findFirst().orElseThrow();
            assertThat(Duration.between(sigterm, done.time())).isLessThan(LOCK.plus(Duration.ofSeconds(8)));

            assertThat(restarted.stop(GRACE.plus(CLOSING))).isTrue();
            assertThat(transcode.events(videoId)).as("completed exactly once")
                    .filteredOn(e -> e.data() instanceof TranscodeCompleted).hasSize(1);
            assertThat(Files.list(scratch).filter(p -> !p.getFileName().toString().startsWith("assembler")).toList()).isEmpty();
        } finally {
            worker.stop(Duration.ofSeconds(30));
            restarted.stop(Duration.ofSeconds(30));
        }
    }

    private static void awaitUp(ChildProcess worker) {
        Await.until(worker.name() + " to take jobs", DEADLINE,
                () -> worker.logTail(50).contains("transcoder " + worker.name() + " up"),
                List.of(worker));
    }

    private static ChildProcess worker(ClusterEndpoints cluster, String group, int chunksAtOnce, Path scratch, Path dir) {
        Map<String, String> env = new HashMap<>(WorkerEnv.of(cluster, group, "w1", scratch));
        env.put("REEL_TRANSCODER_CONCURRENCY", Integer.toString(chunksAtOnce));
        env.put("REEL_TRANSCODER_READ_RATE", "1");
        env.put("REEL_TRANSCODER_LOCK_DURATION", LOCK.toSeconds() + "s");
        env.put("REEL_TRANSCODER_SHUTDOWN_GRACE", GRACE.toSeconds() + "s");
        env.put("REEL_TRANSCODER_MAX_ATTEMPTS", "3");
        env.put("REEL_TRANSCODER_CHUNK_SECONDS", "8");
        env.put("REEL_TRANSCODER_SPLIT_MIN_SECONDS", "8");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        return new ChildProcess("w1", command, env, dir, Path.of("target", "shutdown-logs", "w1.log").toAbsolutePath());
    }
}
