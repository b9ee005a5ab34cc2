package dev.reel.transcoder.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.events.Envelope;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeStarted;
import dev.reel.events.topics.Topics;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import dev.reel.transcoder.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two workers as separate JVMs share five uploads; one is killed with SIGKILL in the middle of a job. Every upload
 * still ends as transcode.completed, the killed job redone by the survivor, and where a video was completed twice
 * both results are the same (deterministic keys: the catalog sees one result).
 */
@RealCluster
class WorkerFailoverIT {

    private static final Logger log = LoggerFactory.getLogger(WorkerFailoverIT.class);
    private static final Duration DEADLINE = Duration.ofMinutes(4);
    private static final int UPLOADS = 5;
    private static final int MAX_UPLOADS = 12;

    @Test
    void aWorkerKilledMidJobLosesNothing(ClusterEndpoints cluster, @TempDir Path dir) throws Exception {
        Uploads.prepareTopics(cluster);
        String group = "it-failover-" + Uploads.newVideoId();
        // w1 runs one job, w2 three: both get work from the five, and w2 has a free slot by the time the killed job's
        // lock runs out, so what is measured is the redelivery, not w2's queue
        List<ChildProcess> workers = List.of(worker(cluster, group, "w1", 1, dir), worker(cluster, group, "w2", 3, dir));
        try (Uploads uploads = new Uploads(cluster);
                EventLog transcode = new EventLog(cluster.bootstrapServers(), Topics.TRANSCODE)) {
            workers.forEach(ChildProcess::start);
            for (ChildProcess w : workers) {
                Await.until(w.name() + " to take jobs", DEADLINE, () -> w.logTail(50).contains("transcoder " + w.name() + " up"),
                        workers);
            }
            // 8 s sources read at real time (REEL_TRANSCODER_READ_RATE=1): each job lasts ~8 s, so a kill lands mid-job
            Path source = TestVideos.generate(dir, "clip", 320, 240, 8, true);
            List<String> videoIds = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                String videoId = Uploads.newVideoId();
                uploads.upload(videoId, source, 320, 240, 8, true);
                videoIds.add(videoId);
            }
            // Each partition of reel.uploads belongs to one member, and video ids hash to partitions: five random ids all
            // land on one worker's partitions about once in 30 runs. Then more uploads, until the other worker has one.
            while (!bothStartedWithin(Duration.ofSeconds(20), transcode, videoIds, workers) && videoIds.size() < MAX_UPLOADS) {
                String videoId = Uploads.newVideoId();
                uploads.upload(videoId, source, 320, 240, 8, true);
                videoIds.add(videoId);
            }
            Await.until("both workers to take a job", DEADLINE, () -> startedBy(transcode, videoIds).size() == 2, workers);
            String victimsVideo = runningJobOf(transcode, videoIds, "w1");
            workers.get(0).kill();
            Instant killedAt = Instant.now();
            log.info("killed w1 in the middle of {}", victimsVideo);

            Await.until("all uploads completed", DEADLINE,
                    () -> videoIds.stream().allMatch(id -> EventLog.has(transcode.events(id), TranscodeCompleted.class)),
                    workers.subList(1, 2));

            List<Envelope<?>> victim = transcode.events(victimsVideo);
            Envelope<?> redone = victim.stream().filter(e -> e.data() instanceof TranscodeStarted s && s.worker().equals("w2"))
                    .findFirst().orElseThrow();
            Duration redelivery = Duration.between(killedAt, redone.time());
            log.info("the killed job was started again by w2 {} ms after the kill (attempt {})", redelivery.toMillis(),
                    ((TranscodeStarted) redone.data()).attempt());
            assertThat(((TranscodeStarted) redone.data()).attempt()).as("a redelivery").isEqualTo(2);
            // The protocol's bound, not a speed: the killed job's partition is assigned to the dead member alone, so
            // the job comes back when the broker ends that member's session (share.session.timeout.ms, 45 s) and gives
            // the partition to w2, or when its lock runs out (15 s) if it shared the partition; plus the next attempt's probe.
            assertThat(redelivery).isLessThan(Duration.ofSeconds(45 + 15));
            for (String videoId : videoIds) {
                List<TranscodeCompleted> completed = transcode.events(videoId).stream()
                        .filter(e -> e.data() instanceof TranscodeCompleted).map(e -> (TranscodeCompleted) e.data()).toList();
                assertThat(completed).as("completions of %s", videoId).isNotEmpty();
                assertThat(completed).as("every completion of %s names the same objects", videoId)
                        .allMatch(c -> c.renditions().stream().map(r -> r.playlistKey() + r.segmentCount()).toList()
                                .equals(completed.getFirst().renditions().stream().map(r -> r.playlistKey() + r.segmentCount())
                                        .toList()));
            }
            assertThat(workers.get(1).stop(Duration.ofSeconds(60))).as("w2 stops by itself on SIGTERM").isTrue();
            assertThat(workers.get(1).logTail(20)).contains("transcoder w2 stopped");
        } finally {
            workers.forEach(w -> w.stop(Duration.ofSeconds(30)));
        }
    }

    private static boolean bothStartedWithin(Duration wait, EventLog transcode, List<String> videoIds,
            List<ChildProcess> workers) {
        try {
            Await.until("both workers to take a job", wait, () -> startedBy(transcode, videoIds).size() == 2, workers);
            return true;
        } catch (IllegalStateException notYet) {
            return false; // the wait below says why if it never happens
        }
    }

    /** The workers that started a job, by name. */
    private static Set<String> startedBy(EventLog transcode, List<String> videoIds) {
        return videoIds.stream().flatMap(id -> transcode.events(id).stream())
                .filter(e -> e.data() instanceof TranscodeStarted).map(e -> ((TranscodeStarted) e.data()).worker())
                .collect(Collectors.toSet());
    }

    /** The video a worker has started and not finished. */
    private static String runningJobOf(EventLog transcode, List<String> videoIds, String worker) {
        return videoIds.stream().filter(id -> {
            List<Envelope<?>> events = transcode.events(id);
            return events.stream().anyMatch(e -> e.data() instanceof TranscodeStarted s && s.worker().equals(worker))
                    && !EventLog.has(events, TranscodeCompleted.class);
        }).findFirst().orElseThrow(() -> new AssertionError(worker + " has no running job"));
    }

    private static ChildProcess worker(ClusterEndpoints cluster, String group, String name, int concurrency, Path dir)
            throws Exception {
        Map<String, String> env = new HashMap<>(WorkerEnv.of(cluster, group, name, Files.createDirectories(dir.resolve(name))));
        env.put("REEL_TRANSCODER_CONCURRENCY", Integer.toString(concurrency));
        env.put("REEL_TRANSCODER_FFMPEG_THREADS", "1");
        env.put("REEL_TRANSCODER_READ_RATE", "1");
        env.put("REEL_TRANSCODER_MAX_ATTEMPTS", "3");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        // logs outside the temporary folder, to read after a failure
        return new ChildProcess(name, command, env, dir, Path.of("target", "failover-logs", name + ".log").toAbsolutePath());
    }
}
