package dev.reel.transcoder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

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
import dev.reel.transcoder.storage.MediaPlaylist;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
        Map<String, String> env = new HashMap<>(WorkerEnv.of(cluster, "it-worker-" + Uploads.newVideoId(), "it-worker", scratch));
        // encodes at real time, however fast the machine: the short sources last long enough to be seen growing
        env.put("REEL_TRANSCODER_READ_RATE", "1");
        worker = TranscoderWorker.start(TranscoderConfig.from(new Env(env)));
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
        // What an earlier, superseded attempt might have left: a rung this source does not get, a segment past the end.
        putStray("media/" + videoId + "/1080p/seg-00001.m4s");
        putStray("media/" + videoId + "/240p/seg-00009.m4s");
        uploads.upload(videoId, TestVideos.generate(dir, "hd", 1280, 720, 10, true), 1280, 720, 10, true);

        List<Envelope<?>> events = transcode.await(videoId, "transcode.completed", DEADLINE,
                e -> EventLog.has(e, TranscodeCompleted.class));
        List<Object> data = events.stream().<Object>map(Envelope::data).toList();
        assertThat(data.getFirst()).isInstanceOf(TranscodeStarted.class);
        assertThat(((TranscodeStarted) data.getFirst()).renditions()).containsExactly("240p", "360p", "480p", "720p");
        // (renditions may also have been announced growing shortly before the end: the next test is about those)
        assertThat(readyNames(data, false)).as("rendition.ready of complete renditions, lowest first")
                .containsExactly("240p", "360p", "480p", "720p");
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
        assertThat(listKeys("media/" + videoId + "/")).as("exactly the ladder: the superseded objects are gone")
                .hasSize(1 + 4 * (2 + 3)).contains("media/" + videoId + "/720p/seg-00003.m4s")
                .doesNotContain("media/" + videoId + "/1080p/seg-00001.m4s", "media/" + videoId + "/240p/seg-00009.m4s");

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
    void aVideoIsPlayableWhileItIsTranscodedAndFinalWhenDone() throws Exception {
        String videoId = Uploads.newVideoId();
        // 24 s at real time: announced growing once 3 segments are stored (8 s lead + the ~1% that real-time reading
        // falls behind), about 12 s before the end
        uploads.upload(videoId, TestVideos.generate(dir, "long", 640, 360, 24, true), 640, 360, 24, true);

        List<Envelope<?>> early = transcode.await(videoId, "a growing rendition.ready", DEADLINE,
                e -> !readyNames(e.stream().<Object>map(Envelope::data).toList(), true).isEmpty());
        assertThat(early).as("announced before the transcode completed").noneMatch(e -> e.data() instanceof TranscodeCompleted);
        Rendition growing = early.stream().map(Envelope::data).filter(RenditionReady.class::isInstance)
                .map(d -> ((RenditionReady) d).rendition()).findFirst().orElseThrow();
        assertThat(growing.name()).as("the lowest rendition first").isEqualTo("240p");
        assertThat(growing.growing()).isTrue();
        assertThat(growing.segmentCount()).isGreaterThanOrEqualTo(2).isLessThan(6);

        String eventPlaylist = readText(growing.playlistKey());
        assertThat(eventPlaylist).as("stored while transcoding")
                .contains("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-START:TIME-OFFSET=0",
                        "#EXT-X-MAP:URI=\"init.mp4\"")
                .doesNotContain("#EXT-X-ENDLIST");
        MediaPlaylist listed = MediaPlaylist.parse(eventPlaylist);
        assertThat(listed.segments()).hasSizeGreaterThanOrEqualTo(growing.segmentCount());
        Path local = Files.createDirectories(dir.resolve(videoId).resolve("growing"));
        for (String file : Stream.concat(Stream.of("init.mp4"), listed.segments().stream().map(MediaPlaylist.Segment::uri))
                .toList()) {
            uploads.s3().downloadObject(DownloadObjectArgs.builder().bucket(cluster.bucket())
                    .object("media/" + videoId + "/240p/" + file).filename(local.resolve(file).toString()).build());
        }
        // ended here, or ffmpeg would wait for more segments as a player does
        Files.writeString(local.resolve("index.m3u8"), eventPlaylist + "#EXT-X-ENDLIST\n");
        assertThat(probeStreams(local.resolve("index.m3u8"))).extracting(st -> st.path("codec_name").asText())
                .as("every listed segment is stored and the growing playlist plays").containsExactly("h264", "aac");
        assertThat(decodedSeconds(local.resolve("index.m3u8"))).isCloseTo(listed.durationSeconds(), offset(0.2));

        dev.reel.cluster.Await.until("the stored growing playlist to gain segments", DEADLINE, () -> {
            MediaPlaylist now = MediaPlaylist.parse(readText(growing.playlistKey()));
            if (now.complete()) {
                throw new AssertionError("the transcode completed before its growing playlist was seen extended");
            }
            return now.segments().size() > listed.segments().size();
        }, List.of());

        List<Object> data = transcode
                .await(videoId, "transcode.completed", DEADLINE, e -> EventLog.has(e, TranscodeCompleted.class))
                .stream().<Object>map(Envelope::data).toList();
        assertThat(readyNames(data, true)).as("one growing announcement per rendition, lowest first, however often "
                + "the playlists were extended").containsExactly("240p", "360p");
        assertThat(readyNames(data, false)).as("then the complete ones").containsExactly("240p", "360p");
        int lastGrowing = data.stream().filter(d -> d instanceof RenditionReady r && r.rendition().growing())
                .mapToInt(data::indexOf).max().orElseThrow();
        int firstComplete = data.stream().filter(d -> d instanceof RenditionReady r && !r.rendition().growing())
                .mapToInt(data::indexOf).min().orElseThrow();
        assertThat(lastGrowing).isLessThan(firstComplete);
        TranscodeCompleted completed = (TranscodeCompleted) data.getLast();
        assertThat(completed.renditions()).noneMatch(Rendition::growing).allMatch(r -> r.segmentCount() == 6);
        String finalPlaylist = readText(growing.playlistKey());
        assertThat(finalPlaylist).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST").doesNotContain("EVENT", "#EXT-X-START");
        assertThat(MediaPlaylist.parse(finalPlaylist).segments()).hasSize(6);
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
        assertThat(probeStreams(local.resolve("index.m3u8"))).extracting(s -> s.path("codec_type").asText())
                .containsExactly("video");
        assertThat(listKeys("media/" + videoId + "/")).noneMatch(k -> k.contains("/480p/") || k.contains("/720p/"));
    }

    @Test
    void corruptInputEndsAsFailedWithADeadLetterAndTheNextJobIsStillDone() throws Exception {
        String corruptId = Uploads.newVideoId();
        String malformedKey = Uploads.newVideoId();
        String nextId = Uploads.newVideoId();
        Path valid = TestVideos.generate(dir, "small", 320, 240, 4, true);
        putStray("media/" + corruptId + "/240p/init.mp4"); // as if a failed attempt had stored part of a ladder
        uploads.upload(corruptId, TestVideos.corrupt(dir, valid), 320, 240, 4, true);
        uploads.send(malformedKey, "{\"type\":\"reel.video.uploaded\",\"data\":{not json".getBytes(StandardCharsets.UTF_8));
        uploads.upload(nextId, valid, 320, 240, 4, true);

        List<Envelope<?>> failedEvents = transcode.await(corruptId, "transcode.failed", DEADLINE,
                e -> EventLog.has(e, TranscodeFailed.class));
        TranscodeFailed failed = (TranscodeFailed) failedEvents.getLast().data();
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.reason()).isNotBlank().hasSizeLessThanOrEqualTo(2_000);
        assertThat(failedEvents).noneMatch(e -> e.data() instanceof TranscodeCompleted);
        assertThat(listKeys("media/" + corruptId + "/")).as("no media of a failed transcode left").isEmpty();
        transcode.await(nextId, "transcode.completed", DEADLINE, e -> EventLog.has(e, TranscodeCompleted.class));

        dev.reel.cluster.Await.until("dead letters of the corrupt upload and the malformed record", DEADLINE,
                () -> deadLetterKeys().containsAll(List.of(corruptId, malformedKey)), List.of());
        ConsumerRecord<byte[], byte[]> letter = deadLetters.records().stream()
                .filter(r -> corruptId.equals(new String(r.key(), StandardCharsets.UTF_8))).findFirst().orElseThrow();
        assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.UPLOADS);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).as("the original record").contains(corruptId,
                "reel.video.uploaded");
        assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE).value(), StandardCharsets.UTF_8))
                .contains("transcode failed after 2 attempt(s)");
        assertThat(Files.list(dir.resolve("scratch")).toList()).as("scratch space cleaned after every attempt").isEmpty();
    }

    /** The names in the rendition.ready events among {@code data} that describe growing (or complete) renditions. */
    private static List<String> readyNames(List<Object> data, boolean growing) {
        return data.stream().filter(d -> d instanceof RenditionReady r && r.rendition().growing() == growing)
                .map(d -> ((RenditionReady) d).rendition().name()).toList();
    }

    private String readText(String key) throws Exception {
        try (var object = uploads.s3().getObject(GetObjectArgs.builder().bucket(cluster.bucket()).object(key).build())) {
            return new String(object.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** How much of a playlist ffmpeg decodes: every frame of every listed segment, or it fails. */
    private static double decodedSeconds(Path playlist) throws Exception {
        String out = TestVideos.run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                playlist.toString()));
        TestVideos.run(List.of("ffmpeg", "-v", "error", "-xerror", "-i", playlist.toString(), "-f", "null", "-"));
        return Double.parseDouble(out.strip());
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

    private void putStray(String key) throws Exception {
        byte[] bytes = "stray".getBytes(StandardCharsets.UTF_8);
        uploads.s3().putObject(io.minio.PutObjectArgs.builder().bucket(cluster.bucket()).object(key)
                .stream(new java.io.ByteArrayInputStream(bytes), (long) bytes.length, -1L).build());
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
