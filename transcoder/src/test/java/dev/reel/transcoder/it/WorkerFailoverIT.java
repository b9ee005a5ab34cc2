package dev.reel.transcoder.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.events.ChunkCompleted;
import dev.reel.events.Envelope;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodePlanned;
import dev.reel.events.topics.Topics;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import dev.reel.transcoder.Main;
import dev.reel.transcoder.storage.MediaPlaylist;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two workers as separate JVMs share one video's chunk tasks; one is killed with SIGKILL in the middle of a chunk.
 * Only that chunk is redone (by the survivor, as its second delivery), every other task is done once, the video is
 * completed exactly once (the killed worker's share of the assembler moves to the survivor, which restores its state
 * and goes on), and storage holds exactly the objects the final playlists name: nothing orphaned.
 */
@RealCluster
class WorkerFailoverIT {

    private static final Logger log = LoggerFactory.getLogger(WorkerFailoverIT.class);
    private static final Duration DEADLINE = Duration.ofMinutes(4);
    private static final Pattern ENCODING = Pattern.compile("(\\S+) task (\\d+) of \\d+ \\(\\[[^]]*], attempt 1\\): encoding");

    @Test
    void aWorkerKilledMidChunkLosesOnlyThatChunk(ClusterEndpoints cluster, @TempDir Path dir) throws Exception {
        Uploads.prepareTopics(cluster);
        String group = "it-failover-" + Uploads.newVideoId();
        // w1 encodes one chunk at a time, so the kill hits exactly one; w2, which ends up doing nearly every task, four,
        // so its real-time reads take three rounds rather than twelve
        List<ChildProcess> workers = List.of(worker(cluster, group, "w1", 1, dir), worker(cluster, group, "w2", 4, dir));
        try (Uploads uploads = new Uploads(cluster);
                EventLog transcode = new EventLog(cluster.bootstrapServers(), Topics.TRANSCODE)) {
            workers.forEach(ChildProcess::start);
            for (ChildProcess w : workers) {
                Await.until(w.name() + " to take jobs", DEADLINE, () -> w.logTail(50).contains("transcoder " + w.name() + " up"),
                        workers);
            }
            // 24 s of 4:4:4 (no passthrough), silent, keyed every 2 s: 6 chunks of 4 s, 12 tasks (240p, then 360p), each
            // read at real time (REEL_TRANSCODER_READ_RATE=1): a kill lands mid-chunk
            String videoId = Uploads.newVideoId();
            uploads.upload(videoId, TestVideos.generate(dir, "clip", 640, 360, 24, false, TestVideos.H264_444_KEYED_2S), 640,
                    360, 24, false);
            ChildProcess w1 = workers.get(0);
            String[] killed = new String[1];
            Await.until("w1 to be encoding a chunk", DEADLINE, () -> {
                Matcher m = ENCODING.matcher(w1.logTail(30));
                while (m.find()) {
                    if (m.group(1).equals(videoId)) {
                        killed[0] = m.group(2);
                    }
                }
                return killed[0] != null;
            }, workers);
            w1.kill();
            Instant killedAt = Instant.now();
            int killedTask = Integer.parseInt(killed[0]);
            log.info("killed w1 in the middle of task {}", killedTask);

            List<Envelope<?>> events = transcode.await(videoId, "transcode.completed", DEADLINE,
                    e -> EventLog.has(e, TranscodeCompleted.class));
            List<Envelope<?>> all = events;
            TranscodePlanned plan = all.stream().map(Envelope::data).filter(TranscodePlanned.class::isInstance)
                    .map(TranscodePlanned.class::cast).findFirst().orElseThrow();
            assertThat(plan.tasks()).hasSize(12);
            List<ChunkCompleted> results = all.stream().map(Envelope::data).filter(ChunkCompleted.class::isInstance)
                    .map(ChunkCompleted.class::cast).toList();
            assertThat(results).extracting(ChunkCompleted::task).as("every task done once")
                    .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            ChunkCompleted redone = results.stream().filter(r -> r.task() == killedTask).findFirst().orElseThrow();
            assertThat(redone.worker()).isEqualTo("w2");
            assertThat(redone.attempt()).as("the killed chunk, redelivered").isEqualTo(2);
            assertThat(results).filteredOn(r -> r.task() != killedTask).as("only that chunk is redone")
                    .allMatch(r -> r.attempt() == 1);
            Envelope<?> redoneAt = all.stream().filter(e -> e.data() == redone).findFirst().orElseThrow();
            log.info("the killed chunk was done again by w2 {} ms after the kill",
                    Duration.between(killedAt, redoneAt.time()).toMillis());
            // the protocol's bound: reel.chunks has one partition, shared by every worker, so the killed chunk comes
            // back when its lock (15 s) runs out, at most the broker's session timeout (45 s) if it had to be reassigned
            assertThat(Duration.between(killedAt, redoneAt.time())).isLessThan(Duration.ofSeconds(45 + 15 + 30));
            assertThat(all).filteredOn(e -> e.data() instanceof TranscodeCompleted).as("READY exactly once").hasSize(1);

            TranscodeCompleted completed = (TranscodeCompleted) all.stream().map(Envelope::data)
                    .filter(TranscodeCompleted.class::isInstance).findFirst().orElseThrow();
            assertThat(completed.renditions()).extracting(r -> r.name() + ":" + r.segmentCount()).containsExactly("240p:6",
                    "360p:6");
            assertThat(keys(uploads, cluster, "media/" + videoId + "/")).as("nothing orphaned in storage")
                    .containsExactlyInAnyOrderElementsOf(expected(uploads, cluster, videoId, completed));

            assertThat(workers.get(1).stop(Duration.ofSeconds(60))).as("w2 stops by itself on SIGTERM").isTrue();
            assertThat(workers.get(1).logTail(20)).contains("transcoder w2 stopped");
        } finally {
            workers.forEach(w -> w.stop(Duration.ofSeconds(30)));
        }
    }

    private static List<String> expected(Uploads uploads, ClusterEndpoints cluster, String videoId, TranscodeCompleted completed)
            throws Exception {
        List<String> keys = new ArrayList<>(List.of(completed.posterKey()));
        // the killed task's tiles were stored again under the same names: one per cue, no more
        try (var object = uploads.s3().getObject(GetObjectArgs.builder().bucket(cluster.bucket())
                .object(completed.storyboardKey()).build())) {
            keys.addAll(StoryboardObjects.keys(videoId, completed.storyboardKey(),
                    new String(object.readAllBytes(), StandardCharsets.UTF_8)));
        }
        for (var r : completed.renditions()) {
            String folder = "media/" + videoId + "/" + r.name() + "/";
            keys.add(folder + "index.m3u8");
            keys.add(folder + "init.mp4");
            try (var object = uploads.s3().getObject(GetObjectArgs.builder().bucket(cluster.bucket()).object(r.playlistKey())
                    .build())) {
                MediaPlaylist.parse(new String(object.readAllBytes(), StandardCharsets.UTF_8)).segments()
                        .forEach(s -> keys.add(folder + s.uri()));
            }
        }
        return keys;
    }

    private static List<String> keys(Uploads uploads, ClusterEndpoints cluster, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : uploads.s3().listObjects(ListObjectsArgs.builder().bucket(cluster.bucket()).prefix(prefix)
                .recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    private static ChildProcess worker(ClusterEndpoints cluster, String group, String name, int chunksAtOnce, Path dir)
            throws Exception {
        Map<String, String> env = new HashMap<>(WorkerEnv.of(cluster, group, name, Files.createDirectories(dir.resolve(name))));
        env.put("REEL_TRANSCODER_CONCURRENCY", Integer.toString(chunksAtOnce));
        env.put("REEL_TRANSCODER_FFMPEG_THREADS", "1");
        env.put("REEL_TRANSCODER_READ_RATE", "1");
        env.put("REEL_TRANSCODER_MAX_ATTEMPTS", "3");
        env.put("REEL_TRANSCODER_CHUNK_SECONDS", "4");
        env.put("REEL_TRANSCODER_SPLIT_MIN_SECONDS", "8");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        // logs outside the temporary folder, to read after a failure
        return new ChildProcess(name, command, env, dir, Path.of("target", "failover-logs", name + ".log").toAbsolutePath());
    }
}
