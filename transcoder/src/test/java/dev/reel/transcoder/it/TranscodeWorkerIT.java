package dev.reel.transcoder.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.events.Envelope;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionReady;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeFailed;
import dev.reel.events.TranscodeProgress;
import dev.reel.events.TranscodeStarted;
import dev.reel.events.dlq.DeadLetterHeaders;
import dev.reel.events.topics.Topics;
import dev.reel.service.config.Env;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import dev.reel.transcoder.TranscoderConfig;
import dev.reel.transcoder.TranscoderWorker;
import io.minio.DownloadObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One worker in this JVM against the real broker, S3 server and ffmpeg: what it stores, what it announces, and
 * what it does with input it cannot transcode.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TranscodeWorkerIT {

    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final Map<String, String> PROFILE_IDC = Map.of("Constrained Baseline", "42c0", "Main", "4d40", "High", "6400");

    private Path dir;
    private ClusterEndpoints cluster;
    private Uploads uploads;
    private EventLog transcode;
    private EventLog deadLetters;
    private TranscoderWorker worker;

    @BeforeAll
    void startWorker(ClusterEndpoints cluster, @TempDir Path dir) throws Exception {
        this.cluster = cluster;
        this.dir = dir;
        Uploads.prepareTopics(cluster);
        uploads = new Uploads(cluster);
        transcode = new EventLog(cluster.bootstrapServers(), Topics.TRANSCODE);
        deadLetters = new EventLog(cluster.bootstrapServers(), Topics.DLQ);
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        worker = TranscoderWorker.start(TranscoderConfig.from(new Env(
                WorkerEnv.of(cluster, "it-worker-" + Uploads.newVideoId(), "it-worker", scratch))));
    }

    @AfterAll
    void stopWorker() throws Exception {
        if (worker != null) {
            worker.close();
        }
        transcode.close();
        deadLetters.close();
        uploads.close();
    }

    @Test
    void a720pSourceWithAudioBecomesAnAlignedLadderUpTo720p() throws Exception {
        String videoId = Uploads.newVideoId();
        uploads.upload(videoId, TestVideos.generate(dir, "hd", 1280, 720, 10, true), 1280, 720, 10, true);

        List<Envelope<?>> events = transcode.await(videoId, "transcode.completed", DEADLINE,
                e -> EventLog.has(e, TranscodeCompleted.class));
        List<Object> data = events.stream().<Object>map(Envelope::data).toList();
        assertThat(data.getFirst()).isInstanceOf(TranscodeStarted.class);
        assertThat(((TranscodeStarted) data.getFirst()).renditions()).containsExactly("240p", "360p", "480p", "720p");
        List<String> readyOrder = data.stream().filter(RenditionReady.class::isInstance)
                .map(d -> ((RenditionReady) d).rendition().name()).toList();
        assertThat(readyOrder).as("rendition.ready, lowest first").containsExactly("240p", "360p", "480p", "720p");
        assertThat(data.indexOf(data.stream().filter(RenditionReady.class::isInstance).findFirst().orElseThrow()))
                .as("the lowest rendition is announced before the ladder is complete")
                .isLessThan(data.indexOf(data.stream().filter(TranscodeCompleted.class::isInstance).findFirst().orElseThrow()));
        assertThat(data.getLast()).isInstanceOf(TranscodeCompleted.class);
        assertProgressAtMostOncePerSecond(events);

        TranscodeCompleted completed = (TranscodeCompleted) data.getLast();
        assertThat(completed.posterKey()).isEqualTo("media/" + videoId + "/thumb.jpg");
        assertThat(completed.renditions()).extracting(Rendition::name).containsExactly("240p", "360p", "480p", "720p");
        assertThat(completed.renditions()).extracting(r -> r.width() + "x" + r.height())
                .containsExactly("426x240", "640x360", "854x480", "1280x720");
        for (Rendition r : completed.renditions()) {
            assertThat(r.playlistKey()).isEqualTo("media/" + videoId + "/" + r.name() + "/index.m3u8");
            assertThat(r.codecs()).matches("avc1\\.[0-9a-f]{6},mp4a\\.40\\.2");
            assertThat(r.bandwidth()).isGreaterThanOrEqualTo(r.averageBandwidth()).isPositive();
            assertThat(r.frameRate()).isEqualTo(25.0);
            assertThat(r.durationSeconds()).isBetween(9.5, 10.5);
            assertThat(r.segmentCount()).isEqualTo(3); // 4 + 4 + 2 s
        }

        List<List<Double>> keyframes = new ArrayList<>();
        for (Rendition r : completed.renditions()) {
            Path local = download("media/" + videoId + "/" + r.name() + "/", dir.resolve(videoId).resolve(r.name()));
            assertThat(Files.exists(local.resolve("init.mp4"))).isTrue();
            assertThat(local.resolve("seg-00001.m4s")).exists();
            JsonNode streams = probeStreams(local.resolve("index.m3u8"));
            JsonNode video = streams.get(0);
            assertThat(video.path("codec_name").asText()).as("the stored rendition %s plays", r.name()).isEqualTo("h264");
            assertThat(video.path("width").asInt() + "x" + video.path("height").asInt()).isEqualTo(r.width() + "x" + r.height());
            assertThat(streams.get(1).path("codec_name").asText()).isEqualTo("aac");
            // CODECS says what the stream really is: profile (x264 signals the lowest one the features used fit) and level
            assertThat(r.codecs()).startsWith("avc1." + PROFILE_IDC.get(video.path("profile").asText()))
                    .contains(String.format("%02x,", video.path("level").asInt()));
            keyframes.add(keyframeTimes(local.resolve("index.m3u8")));
        }
        List<Double> first = keyframes.getFirst();
        assertThat(first).as("a keyframe every 4 s (the timeline starts after the AAC priming)").hasSize(3);
        assertThat(first.get(1) - first.get(0)).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(first.get(2) - first.get(1)).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(keyframes).as("keyframes at the same times in every rendition").allMatch(k -> k.equals(keyframes.getFirst()));

        Path poster = download("media/" + videoId + "/thumb.jpg", dir.resolve(videoId).resolve("poster"));
        assertThat(Files.readAllBytes(poster.resolve("thumb.jpg"))).startsWith((byte) 0xFF, (byte) 0xD8); // JPEG

        String metrics = get("/metrics");
        assertThat(metrics).containsPattern("reel_transcoder_jobs_total\\{[^}]*outcome=\"completed\"[^}]*} [1-9]")
                .contains("reel_transcoder_encode_speed_count").contains("reel_transcoder_bytes_written_bytes_total");
        assertThat(get("/readyz")).startsWith("ready");
    }

    @Test
    void a360pSourceWithoutAudioIsNeverUpscaledAndHasNoAudio() throws Exception {
        String videoId = Uploads.newVideoId();
        uploads.upload(videoId, TestVideos.generate(dir, "sd", 640, 360, 6, false), 640, 360, 6, false);

        List<Envelope<?>> events = transcode.await(videoId, "transcode.completed", DEADLINE,
                e -> EventLog.has(e, TranscodeCompleted.class));
        TranscodeCompleted completed = (TranscodeCompleted) events.getLast().data();
        assertThat(completed.renditions()).extracting(Rendition::name).containsExactly("240p", "360p");
        assertThat(completed.renditions()).allMatch(r -> r.codecs().matches("avc1\\.[0-9a-f]{6}"));
        Path local = download("media/" + videoId + "/360p/", dir.resolve(videoId));
        assertThat(probeStreams(local.resolve("index.m3u8"))).extracting(s -> s.path("codec_type").asText()).containsExactly("video");
        assertThat(listKeys("media/" + videoId + "/")).noneMatch(k -> k.contains("/480p/") || k.contains("/720p/"));
    }

    @Test
    void corruptInputEndsAsFailedWithADeadLetterAndTheNextJobIsStillDone() throws Exception {
        String corruptId = Uploads.newVideoId();
        String malformedKey = Uploads.newVideoId();
        String nextId = Uploads.newVideoId();
        Path valid = TestVideos.generate(dir, "small", 320, 240, 4, true);
        uploads.upload(corruptId, TestVideos.corrupt(dir, valid), 320, 240, 4, true);
        uploads.send(malformedKey, "{\"type\":\"reel.video.uploaded\",\"data\":{not json".getBytes(StandardCharsets.UTF_8));
        uploads.upload(nextId, valid, 320, 240, 4, true);

        List<Envelope<?>> failedEvents = transcode.await(corruptId, "transcode.failed", DEADLINE,
                e -> EventLog.has(e, TranscodeFailed.class));
        TranscodeFailed failed = (TranscodeFailed) failedEvents.getLast().data();
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.reason()).isNotBlank().hasSizeLessThanOrEqualTo(2_000);
        assertThat(failedEvents).noneMatch(e -> e.data() instanceof TranscodeCompleted);
        transcode.await(nextId, "transcode.completed", DEADLINE, e -> EventLog.has(e, TranscodeCompleted.class));

        dev.reel.cluster.Await.until("dead letters of the corrupt upload and the malformed record", DEADLINE,
                () -> deadLetterKeys().containsAll(List.of(corruptId, malformedKey)), List.of());
        ConsumerRecord<byte[], byte[]> letter = deadLetters.records().stream()
                .filter(r -> corruptId.equals(new String(r.key(), StandardCharsets.UTF_8))).findFirst().orElseThrow();
        assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.UPLOADS);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).as("the original record").contains(corruptId, "reel.video.uploaded");
        assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE).value(), StandardCharsets.UTF_8))
                .contains("transcode failed after 2 attempt(s)");
        assertThat(Files.list(dir.resolve("scratch")).toList()).as("scratch space cleaned after every attempt").isEmpty();
    }

    private List<String> deadLetterKeys() {
        return deadLetters.records().stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
    }

    private static void assertProgressAtMostOncePerSecond(List<Envelope<?>> events) {
        List<Envelope<?>> progress = events.stream().filter(e -> e.data() instanceof TranscodeProgress).toList();
        for (int i = 1; i < progress.size(); i++) {
            assertThat(Duration.between(progress.get(i - 1).time(), progress.get(i).time()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(990));
        }
        progress.forEach(e -> assertThat(((TranscodeProgress) e.data()).percent()).isBetween(0.0, 100.0));
    }

    /** The streams of a playlist's first program, as ffprobe sees them. */
    private static JsonNode probeStreams(Path playlist) throws Exception {
        return new ObjectMapper().readTree(TestVideos.run(List.of("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_type,codec_name,width,height,profile,level", "-of", "json", playlist.toString()))).path("streams");
    }

    private static List<Double> keyframeTimes(Path playlist) throws Exception {
        return TestVideos.run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
                "-show_entries", "frame=pts_time", "-of", "csv=p=0", playlist.toString())).lines()
                .map(l -> l.replace(",", "").strip()).filter(l -> !l.isEmpty()).map(Double::valueOf).toList();
    }

    /** Downloads every object under {@code prefix} (or the one object named so) into {@code target}. */
    private Path download(String prefix, Path target) throws Exception {
        Files.createDirectories(target);
        for (String key : listKeys(prefix)) {
            uploads.s3().downloadObject(DownloadObjectArgs.builder().bucket(cluster.bucket()).object(key)
                    .filename(target.resolve(key.substring(key.lastIndexOf('/') + 1)).toString()).build());
        }
        return target;
    }

    private List<String> listKeys(String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : uploads.s3().listObjects(ListObjectsArgs.builder().bucket(cluster.bucket())
                .prefix(prefix).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    private String get(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

}
