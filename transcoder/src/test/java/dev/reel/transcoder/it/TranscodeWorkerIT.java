package dev.reel.transcoder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.events.ChunkCompleted;
import dev.reel.events.ChunkRequested;
import dev.reel.events.Envelope;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.RenditionReady;
import dev.reel.events.Storyboard;
import dev.reel.events.TaskRendition;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeFailed;
import dev.reel.events.TranscodePlanned;
import dev.reel.events.TranscodeProgress;
import dev.reel.events.TranscodeStarted;
import dev.reel.events.dlq.DeadLetterHeaders;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.topics.Topics;
import dev.reel.service.config.Env;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import dev.reel.transcoder.TranscoderConfig;
import dev.reel.transcoder.TranscoderWorker;
import dev.reel.transcoder.storage.Fmp4;
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
import java.util.Set;
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
    private EventLog chunkTasks;
    private TranscoderWorker worker;

    @BeforeAll
    void startWorker(ClusterEndpoints cluster, @TempDir Path dir) throws Exception {
        this.cluster = cluster;
        this.dir = dir;
        Uploads.prepareTopics(cluster);
        uploads = new Uploads(cluster);
        transcode = new EventLog(cluster.bootstrapServers(), Topics.TRANSCODE);
        deadLetters = new EventLog(cluster.bootstrapServers(), Topics.DLQ);
        chunkTasks = new EventLog(cluster.bootstrapServers(), Topics.CHUNKS);
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Map<String, String> env = new HashMap<>(WorkerEnv.of(cluster, "it-worker-" + Uploads.newVideoId(), "it-worker", scratch));
        // short sources in several chunks: 4 s chunks from 8 s on
        env.put("REEL_TRANSCODER_CHUNK_SECONDS", "4");
        env.put("REEL_TRANSCODER_SPLIT_MIN_SECONDS", "8");
        // the production preset: the stitched ladder's size and quality are compared with the single-process encode as
        // production makes them (with ultrafast and 4 s chunks the stitched 240p was 3.4% larger, at a higher SSIM)
        env.put("REEL_TRANSCODER_PRESET", "veryfast");
        worker = TranscoderWorker.start(TranscoderConfig.from(new Env(env)));
    }

    @AfterAll
    void stopWorker() throws Exception {
        if (worker != null) {
            worker.close();
        }
        transcode.close();
        deadLetters.close();
        chunkTasks.close();
        uploads.close();
    }

    @Test
    void aStandardUploadIsPassedThroughFirstAndTheLadderKeysAtItsCuts() throws Exception {
        String videoId = Uploads.newVideoId();
        // as a phone exports it: H.264 keyed every 2.4 s, 1.5 Mbit/s (within 720p's cap), AAC-LC. Copied, it is cut where
        // the HLS muxer cuts it: at the first keyframe past 4 s, then past 8 s: 0, 4.8, 9.6
        // and as ingest stores it: with ffprobe's answer beside it, which the worker plans from instead of probing
        uploads.uploadWithIngestsProbe(videoId, TestVideos.generate(dir, "phone", 1280, 720, 10, true,
                TestVideos.standard(1_500, 60)), 1280, 720, 10, true);

        List<Envelope<?>> events = transcode.await(videoId, "transcode.completed", DEADLINE,
                e -> EventLog.has(e, TranscodeCompleted.class));
        List<Object> data = events.stream().<Object>map(Envelope::data).toList();
        assertThat(data.getFirst()).isInstanceOf(TranscodeStarted.class);
        assertThat(((TranscodeStarted) data.getFirst()).renditions()).as("the copy stands in for the 720p rung")
                .containsExactly("audio", "720p", "240p", "360p", "480p");
        assertThat(readyNames(data, false)).as("complete: the copied audio and video first, then the encoded rungs")
                .containsExactly("audio", "720p", "240p", "360p", "480p");
        Rendition firstPicture = data.stream().filter(d -> d instanceof RenditionReady r && r.rendition().hasVideo())
                .map(d -> ((RenditionReady) d).rendition()).findFirst().orElseThrow();
        assertThat(firstPicture.name()).as("the passthrough is the first rendition with pictures").isEqualTo("720p");
        assertThat(data.getLast()).isInstanceOf(TranscodeCompleted.class);
        assertProgressRises(events);
        // copied at once; the two chunks (0-4.8 s, 4.8-10 s) encoded to 240p, 360p and 480p with one decode each
        assertThat(data).filteredOn(ChunkCompleted.class::isInstance).extracting(d -> ((ChunkCompleted) d).task())
                .containsExactlyInAnyOrder(0, 1);
        assertThat(data.stream().filter(TranscodePlanned.class::isInstance).map(TranscodePlanned.class::cast).findFirst()
                .orElseThrow().chunkCount()).isEqualTo(2);

        TranscodeCompleted completed = (TranscodeCompleted) data.getLast();
        assertThat(completed.posterKey()).isEqualTo("media/" + videoId + "/thumb.jpg");
        assertThat(completed.renditions()).extracting(Rendition::name).containsExactly("audio", "240p", "360p", "480p", "720p");
        assertThat(completed.renditions()).extracting(Rendition::kind).containsExactly(RenditionKind.AUDIO, RenditionKind.VIDEO,
                RenditionKind.VIDEO, RenditionKind.VIDEO, RenditionKind.VIDEO);
        assertThat(completed.renditions()).noneMatch(Rendition::interim);
        Rendition audio = completed.renditions().getFirst();
        assertThat(audio.codecs()).isEqualTo("mp4a.40.2");
        List<Rendition> videos = completed.renditions().subList(1, 5);
        assertThat(videos).extracting(r -> r.width() + "x" + r.height())
                .containsExactly("426x240", "640x360", "854x480", "1280x720");
        for (Rendition r : completed.renditions()) {
            assertThat(r.playlistKey()).isEqualTo("media/" + videoId + "/" + r.name() + "/index.m3u8");
            assertThat(r.bandwidth()).isGreaterThanOrEqualTo(r.averageBandwidth()).isPositive();
            assertThat(r.segmentCount()).as(r.name()).isEqualTo(3);
        }
        for (Rendition r : videos) {
            assertThat(r.codecs()).matches("avc1\\.[0-9a-f]{6}");
            assertThat(r.frameRate()).isEqualTo(25.0);
            assertThat(r.durationSeconds()).isCloseTo(10.0, offset(0.001));
            assertThat(audio.durationSeconds()).as("audio and video end together, within a frame")
                    .isCloseTo(r.durationSeconds(), offset(0.04));
        }

        Map<String, Path> local = new java.util.LinkedHashMap<>();
        for (Rendition r : completed.renditions()) {
            local.put(r.name(), download("media/" + videoId + "/" + r.name() + "/", dir.resolve(videoId).resolve(r.name()))
                    .resolve("index.m3u8"));
        }
        JsonNode copy = probeStreams(local.get("720p")).get(0);
        assertThat(copy.path("profile").asText()).as("the original's own stream, not an encode")
                .isEqualTo("Constrained Baseline");
        assertThat(countFrames(local.get("720p"))).as("every frame of the original").isEqualTo(250);
        assertThat(probeStreams(local.get("audio"))).extracting(st -> st.path("codec_name").asText()).containsExactly("aac");
        for (Rendition r : videos) {
            JsonNode video = probeStreams(local.get(r.name())).get(0);
            assertThat(probeStreams(local.get(r.name()))).as("video only").hasSize(1);
            assertThat(video.path("width").asInt() + "x" + video.path("height").asInt()).isEqualTo(r.width() + "x" + r.height());
            // CODECS says what the stream really is: profile (x264 signals the lowest one the features used fit) and level
            assertThat(r.codecs()).startsWith("avc1." + PROFILE_IDC.get(video.path("profile").asText()))
                    .endsWith(String.format("%02x", video.path("level").asInt()));
        }
        assertSegmentsStartAtTheSameKeyframes(local, videos, List.of(0.0, 4.8, 9.6), Set.of("720p"));

        Path poster = download("media/" + videoId + "/thumb.jpg", dir.resolve(videoId).resolve("poster"));
        assertThat(Files.readAllBytes(poster.resolve("thumb.jpg"))).startsWith((byte) 0xFF, (byte) 0xD8); // JPEG

        String metrics = get("/metrics");
        assertThat(metrics).containsPattern("reel_transcoder_jobs_total\\{[^}]*outcome=\"completed\"[^}]*} [1-9]")
                .contains("reel_transcoder_encode_speed_count").contains("reel_transcoder_bytes_written_bytes_total")
                .as("this upload's streams read from the probe stored beside it")
                .containsPattern("reel_transcoder_streams_read_total\\{[^}]*from=\"ingest\"[^}]*} [1-9]");
        assertThat(get("/readyz")).startsWith("ready");
    }

    @Test
    void anOriginalAboveTheCapIsPlayedUntilTheLadderIsCompleteAndIsNotPartOfIt() throws Exception {
        String videoId = Uploads.newVideoId();
        // 1.5 Mbit/s 360p: over the 360p rung's 880 kbit/s cap, within twice it
        uploads.upload(videoId, TestVideos.generate(dir, "rich", 640, 360, 6, false, TestVideos.standard(1_500, 50)), 640, 360,
                6, false);
        List<Object> data = transcode.await(videoId, "transcode.completed", DEADLINE,
                e -> EventLog.has(e, TranscodeCompleted.class)).stream().<Object>map(Envelope::data).toList();
        assertThat(((TranscodeStarted) data.getFirst()).renditions()).containsExactly("source", "240p", "360p");
        Rendition source = data.stream().filter(d -> d instanceof RenditionReady r && !r.rendition().growing())
                .map(d -> ((RenditionReady) d).rendition()).findFirst().orElseThrow();
        assertThat(source.name()).isEqualTo("source");
        assertThat(source.interim()).isTrue();
        assertThat(source.bandwidth()).isGreaterThan(880_000);
        TranscodeCompleted completed = (TranscodeCompleted) data.getLast();
        assertThat(completed.renditions()).as("the ladder, without the interim copy").extracting(Rendition::name)
                .containsExactly("240p", "360p");
        assertThat(listKeys("media/" + videoId + "/source/")).as("its files stay for players that chose it")
                .contains("media/" + videoId + "/source/index.m3u8");
    }

    @Test
    void anOriginalBrowsersCannotPlayIsEncodedInChunksWithItsAudioOnceAndPlayableBeforeItIsDone() throws Exception {
        String videoId = Uploads.newVideoId();
        // 4:4:4 H.264 plays in no browser: no passthrough. 20 s keyed every 2 s: five 4 s chunks; tasks: the audio once,
        // then 240p of every chunk, then 360p of every chunk
        uploads.upload(videoId, TestVideos.generate(dir, "yuv444", 640, 360, 20, true, TestVideos.H264_444_KEYED_2S), 640,
                360, 20, true);

        List<Object> data = transcode
                .await(videoId, "transcode.completed", DEADLINE, e -> EventLog.has(e, TranscodeCompleted.class))
                .stream().<Object>map(Envelope::data).toList();
        assertThat(((TranscodeStarted) data.getFirst()).renditions()).containsExactly("audio", "240p", "360p");
        TranscodePlanned plan = data.stream().filter(TranscodePlanned.class::isInstance).map(TranscodePlanned.class::cast)
                .findFirst().orElseThrow();
        assertThat(plan.chunkCount()).isEqualTo(5);
        assertThat(plan.tasks()).extracting(t -> t.renditions().getFirst()).containsExactly("audio", "240p", "240p", "240p",
                "240p", "240p", "360p", "360p", "360p", "360p", "360p");
        List<ChunkCompleted> results = data.stream().filter(ChunkCompleted.class::isInstance).map(ChunkCompleted.class::cast)
                .toList();
        assertThat(results).extracting(ChunkCompleted::task).as("every task done once")
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(results).allMatch(r -> r.cpuMillis() > 0 && r.attempt() == 1);
        assertThat(results.stream().filter(r -> r.task() == 0).findFirst().orElseThrow().outputs().getFirst().name())
                .isEqualTo("audio");

        // 240p's chunks come first: two of them (8 s) are stored well ahead of a viewer. 360p's come after all of 240p's,
        // and is announced growing only if its chunks still outpace a viewer counted from the plan (timing decides)
        assertThat(readyNames(data, true)).as("at most one growing announcement per video rendition, lowest first")
                .startsWith("240p").doesNotHaveDuplicates().isSubsetOf("240p", "360p");
        assertThat(readyNames(data, false)).as("then complete; the audio (one task) complete at once, first")
                .containsExactly("audio", "240p", "360p");
        Rendition growing = data.stream().filter(d -> d instanceof RenditionReady r && r.rendition().growing())
                .map(d -> ((RenditionReady) d).rendition()).findFirst().orElseThrow();
        assertThat(growing.segmentCount()).as("a prefix").isBetween(2, 4);
        assertThat(data.indexOf(data.stream().filter(d -> d instanceof RenditionReady r && r.rendition().growing())
                .findFirst().orElseThrow())).as("announced before the ladder was complete")
                .isLessThan(data.indexOf(data.stream().filter(TranscodeCompleted.class::isInstance).findFirst().orElseThrow()));

        TranscodeCompleted completed = (TranscodeCompleted) data.getLast();
        assertThat(completed.renditions()).noneMatch(Rendition::growing);
        assertThat(completed.renditions().subList(1, 3)).allMatch(r -> r.segmentCount() == 5);
        Rendition audio = completed.renditions().getFirst();
        assertThat(audio.kind()).isEqualTo(RenditionKind.AUDIO);
        assertThat(audio.durationSeconds()).as("the audio encoded once, ending with the video within a frame")
                .isCloseTo(20.0, offset(0.04));
        String finalPlaylist = readText(growing.playlistKey());
        assertThat(finalPlaylist).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST", "#EXT-X-TARGETDURATION:4")
                .doesNotContain("EVENT", "#EXT-X-START", "DISCONTINUITY");

        Map<String, Path> playlists = new java.util.LinkedHashMap<>();
        for (Rendition r : completed.renditions()) {
            playlists.put(r.name(), download("media/" + videoId + "/" + r.name() + "/", dir.resolve(videoId).resolve(r.name()))
                    .resolve("index.m3u8"));
        }
        assertSegmentsStartAtTheSameKeyframes(playlists, completed.renditions().subList(1, 3),
                List.of(0.0, 4.0, 8.0, 12.0, 16.0), Set.of());
        for (Rendition r : completed.renditions().subList(1, 3)) {
            assertThat(countFrames(playlists.get(r.name()))).as("%s stitched from 5 chunks: every frame, once", r.name())
                    .isEqualTo(500);
            assertThat(decodedSeconds(playlists.get(r.name()))).isCloseTo(20.0, offset(0.05));
        }
        assertThat(listKeys("media/" + videoId + "/")).as("every stored object is one a playlist names")
                .containsExactlyInAnyOrderElementsOf(expectedObjects(videoId, completed));

        // the storyboard, from the 360p tasks' decodes: a tile every 2 s, each the source's frame at its cue's start
        assertThat(plan.storyboard()).isEqualTo(new Storyboard(2, 160, 90, 10, 10));
        List<ChunkRequested> tasks = chunkTasks.events(videoId).stream().map(Envelope::data)
                .filter(ChunkRequested.class::isInstance).map(ChunkRequested.class::cast).toList();
        assertThat(tasks).filteredOn(t -> t.storyboard() != null).as("only the tasks of the chunks' highest rung")
                .allMatch(t -> t.renditions().getLast().name().equals("360p")).hasSize(5)
                .flatExtracting(t -> t.storyboard().numbers()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertStoryboardShowsTheSource(videoId, completed, dir.resolve("yuv444.mp4"), 10);
    }

    /**
     * The storyboard's WebVTT file has {@code tiles} cues of 2 s, and the sprite's rectangle each names is the source's
     * frame at the cue's start: closer to it (PSNR) than to the frame a second later, and close in absolute terms.
     */
    private void assertStoryboardShowsTheSource(String videoId, TranscodeCompleted completed, Path source, int tiles)
            throws Exception {
        assertThat(completed.storyboardKey()).isEqualTo("media/" + videoId + "/storyboard.vtt");
        String vtt = readText(completed.storyboardKey());
        List<String> refs = vtt.lines().filter(l -> l.startsWith("storyboard.jpg#xywh=")).toList();
        assertThat(refs).hasSize(tiles);
        assertThat(vtt).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nstoryboard.jpg#xywh=0,0,160,90\n");
        Path local = dir.resolve(videoId + "-storyboard");
        Files.createDirectories(local);
        Path sprite = local.resolve("storyboard.jpg");
        uploads.s3().downloadObject(DownloadObjectArgs.builder().bucket(cluster.bucket())
                .object("media/" + videoId + "/storyboard.jpg").filename(sprite.toString()).build());
        for (int i = 0; i < tiles; i++) {
            String[] xywh = refs.get(i).substring("storyboard.jpg#xywh=".length()).split(",");
            double at = 2.0 * i;
            double right = tilePsnr(sprite, xywh, source, at, local.resolve("right-" + i + ".png"));
            double later = tilePsnr(sprite, xywh, source, Math.min(at + 1, 19), local.resolve("later-" + i + ".png"));
            System.out.printf(java.util.Locale.ROOT, "tile %d (%.0f s): PSNR %.2f dB against its frame, %.2f dB against "
                    + "the frame 1 s later%n", i + 1, at, right, later);
            assertThat(right).as("tile %d shows the frame at %.0f s", i + 1, at).isGreaterThan(later + 3).isGreaterThan(24);
        }
    }

    /** PSNR of the sprite's rectangle {@code xywh} against the source's frame at {@code seconds}, scaled to its size. */
    private static double tilePsnr(Path sprite, String[] xywh, Path source, double seconds, Path frame) throws Exception {
        TestVideos.run(List.of("ffmpeg", "-v", "error", "-y", "-ss", Double.toString(seconds), "-i", source.toString(),
                "-frames:v", "1", "-vf", "scale=" + xywh[2] + ":" + xywh[3] + ":flags=area", frame.toString()));
        String out = TestVideos.run(List.of("ffmpeg", "-hide_banner", "-nostats", "-v", "info", "-i", sprite.toString(), "-i",
                frame.toString(), "-lavfi", "[0:v]crop=" + xywh[2] + ":" + xywh[3] + ":" + xywh[0] + ":" + xywh[1]
                        + ",format=yuv420p[a];[1:v]format=yuv420p[b];[a][b]psnr",
                "-f", "null", "-"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("PSNR .* average:([0-9.]+|inf)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Double.parseDouble(m.group(1).replace("inf", "Infinity"));
    }

    @Test
    void aSmallOriginalCopiedAsTheWholeLadderGetsItsStoryboardFromThePlanningWorker() throws Exception {
        String videoId = Uploads.newVideoId();
        // 320x240 within the 240p rung's cap: the copy is the whole ladder, no task decodes it
        Path source = TestVideos.generate(dir, "tiny", 320, 240, 5, false, TestVideos.standard(300, 50));
        uploads.upload(videoId, source, 320, 240, 5, false);
        List<Object> data = transcode.await(videoId, "transcode.completed", DEADLINE,
                e -> EventLog.has(e, TranscodeCompleted.class)).stream().<Object>map(Envelope::data).toList();
        TranscodePlanned plan = data.stream().filter(TranscodePlanned.class::isInstance).map(TranscodePlanned.class::cast)
                .findFirst().orElseThrow();
        assertThat(plan.tasks()).isEmpty();
        assertThat(plan.storyboard()).isEqualTo(new Storyboard(2, 160, 120, 3, 3));
        TranscodeCompleted completed = (TranscodeCompleted) data.getLast();
        String vtt = readText(completed.storyboardKey());
        assertThat(vtt).contains("\n00:00:04.000 --> 00:00:05.").endsWith("\nstoryboard.jpg#xywh=320,0,160,120\n");
        assertThat(listKeys("media/" + videoId + "/storyboard/")).hasSize(3);
    }

    @Test
    void theStitchedLadderHasTheFramesQualityAndSizeOfTheSingleProcessEncode() throws Exception {
        String videoId = Uploads.newVideoId();
        // 12 s of 4:4:4 (no passthrough), silent, keyed every 2 s: three 4 s chunks, each encoded by a task of its own
        Path source = TestVideos.generate(dir, "stitched", 640, 360, 12, false, TestVideos.H264_444_KEYED_2S);
        uploads.upload(videoId, source, 640, 360, 12, false);
        List<Object> data = transcode.await(videoId, "transcode.completed", DEADLINE,
                e -> EventLog.has(e, TranscodeCompleted.class)).stream().<Object>map(Envelope::data).toList();
        TranscodeCompleted completed = (TranscodeCompleted) data.getLast();
        List<ChunkRequested> tasks = chunkTasks.events(videoId).stream().map(Envelope::data)
                .filter(ChunkRequested.class::isInstance).map(ChunkRequested.class::cast).toList();
        assertThat(tasks).hasSize(6);

        String singleId = Uploads.newVideoId();
        ChunkCompleted single = SingleProcessEncode.run(uploads, transcode, singleId, tasks, DEADLINE);

        List<ChunkCompleted> chunks = data.stream().filter(ChunkCompleted.class::isInstance).map(ChunkCompleted.class::cast)
                .toList();
        long chunkedCpu = chunks.stream().mapToLong(ChunkCompleted::cpuMillis).sum();
        System.out.printf("CPU of the ladder: %d ms in %d chunk tasks, %d ms in one process (%.2fx)%n", chunkedCpu,
                chunks.size(), single.cpuMillis(), (double) chunkedCpu / single.cpuMillis());
        for (Rendition r : completed.renditions()) {
            Path stitched = download("media/" + videoId + "/" + r.name() + "/", dir.resolve(videoId).resolve(r.name()))
                    .resolve("index.m3u8");
            ChunkCompleted.ChunkOutput output = single.outputs().stream().filter(o -> o.name().equals(r.name())).findFirst()
                    .orElseThrow();
            Path reference = download("media/" + singleId + "/" + r.name() + "/", dir.resolve(singleId).resolve(r.name()))
                    .resolve("index.m3u8");
            Files.writeString(reference, MediaPlaylist.render(output.segments().stream()
                    .map(s -> new MediaPlaylist.Segment(String.format("seg-%05d.m4s", s.number()), s.durationSeconds()))
                    .toList(), "init.mp4", 4, true));
            assertThat(countFrames(stitched)).as("%s: the frames of the single-process encode, the source's", r.name())
                    .isEqualTo(countFrames(reference)).isEqualTo(300);
            assertThat(decodedSeconds(stitched)).as("%s decodes with no error", r.name()).isCloseTo(12.0, offset(0.05));
            List<Double> times = frameTimes(stitched, List.of());
            for (int i = 1; i < times.size(); i++) {
                assertThat(times.get(i) - times.get(i - 1)).as("%s: frame %d follows frame %d by one frame, across the "
                        + "chunk boundaries at 4 and 8 s too (no gap, no duplicate)", r.name(), i, i - 1)
                        .isCloseTo(0.04, offset(0.001));
            }
            long stitchedBytes = sizeOfSegments(stitched);
            long singleBytes = output.segments().stream().mapToLong(ChunkCompleted.ChunkSegment::bytes).sum();
            Quality q = Quality.of(stitched, source, r.width(), r.height());
            Quality s = Quality.of(reference, source, r.width(), r.height());
            System.out.printf("%s stitched: %s, %d bytes; single process: %s, %d bytes (size %+.1f%%)%n", r.name(), q,
                    stitchedBytes, s, singleBytes, 100.0 * (stitchedBytes - singleBytes) / singleBytes);
            assertThat(q.ssim()).as("%s: SSIM not bought with speed", r.name()).isGreaterThanOrEqualTo(s.ssim() - 0.002);
            assertThat((double) stitchedBytes).as("%s: size within +3%%", r.name()).isLessThanOrEqualTo(singleBytes * 1.03);
        }
    }

    /** The bytes of every segment a local playlist lists. */
    private static long sizeOfSegments(Path playlist) throws Exception {
        long bytes = 0;
        for (MediaPlaylist.Segment segment : MediaPlaylist.parse(Files.readString(playlist)).segments()) {
            bytes += Files.size(playlist.resolveSibling(segment.uri()));
        }
        return bytes;
    }

    @Test
    void aChunkThatAlwaysFailsEndsAsTranscodeFailedAfterItsAttempts() throws Exception {
        String videoId = Uploads.newVideoId();
        // a task whose original is not there: every attempt fails, the last one gives up
        ChunkRequested doomed = new ChunkRequested(videoId, "pdoomed", 0, 1, "originals/" + videoId + "/source", 1, 25, 25, 0,
                0, 100, List.of(0L), 1, List.of(new TaskRendition("240p", RenditionKind.VIDEO, 0, 426, 240, 25, "baseline", "2.1",
                        400, 440, 800)),
                "ultrafast");
        uploads.send(Topics.CHUNKS, videoId, new EventSerializer().serialize(Topics.CHUNKS, Envelope.of("test/1", doomed)));
        List<Envelope<?>> events = transcode.await(videoId, "transcode.failed", DEADLINE,
                e -> EventLog.has(e, TranscodeFailed.class));
        TranscodeFailed failed = (TranscodeFailed) events.getLast().data();
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.reason()).contains("no such object");
        dev.reel.cluster.Await.until("the task's dead letter", DEADLINE, () -> deadLetterKeys().contains(videoId), List.of());
        ConsumerRecord<byte[], byte[]> letter = deadLetters.records().stream()
                .filter(r -> videoId.equals(new String(r.key(), StandardCharsets.UTF_8))).findFirst().orElseThrow();
        assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.CHUNKS);
        assertThat(events).noneMatch(e -> e.data() instanceof ChunkCompleted);
    }

    @Test
    void aSilent360pOriginalIsNeverUpscaledAndHasNoAudio() throws Exception {
        String videoId = Uploads.newVideoId();
        uploads.upload(videoId, TestVideos.generate(dir, "sd", 640, 360, 6, false, TestVideos.standard(500, 50)), 640, 360, 6,
                false);

        List<Envelope<?>> events = transcode.await(videoId, "transcode.completed", DEADLINE,
                e -> EventLog.has(e, TranscodeCompleted.class));
        assertThat(((TranscodeStarted) events.getFirst().data()).renditions()).containsExactly("360p", "240p");
        TranscodeCompleted completed = (TranscodeCompleted) events.getLast().data();
        assertThat(completed.renditions()).extracting(Rendition::name).containsExactly("240p", "360p");
        assertThat(completed.renditions()).allMatch(r -> r.codecs().matches("avc1\\.[0-9a-f]{6}"));
        Path local = download("media/" + videoId + "/240p/", dir.resolve(videoId));
        assertThat(probeStreams(local.resolve("index.m3u8"))).extracting(s -> s.path("codec_type").asText())
                .containsExactly("video");
        assertThat(listKeys("media/" + videoId + "/")).noneMatch(k -> k.contains("/480p/") || k.contains("/720p/")
                || k.contains("/audio/"));
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

    /** The assembler reports progress with every chunk done: rising, never 100 before the end. */
    private static void assertProgressRises(List<Envelope<?>> events) {
        List<Double> progress = events.stream().filter(e -> e.data() instanceof TranscodeProgress)
                .map(e -> ((TranscodeProgress) e.data()).percent()).toList();
        assertThat(progress).isNotEmpty().isSorted().allMatch(p -> p > 0 && p < 100);
    }

    /** Every object a completed video should have: each rendition's playlist, init and listed segments, the poster. */
    private List<String> expectedObjects(String videoId, TranscodeCompleted completed) throws Exception {
        List<String> keys = new ArrayList<>(List.of(completed.posterKey()));
        if (completed.storyboardKey() != null) {
            keys.addAll(StoryboardObjects.keys(videoId, completed.storyboardKey(), readText(completed.storyboardKey())));
        }
        for (Rendition r : completed.renditions()) {
            String folder = "media/" + videoId + "/" + r.name() + "/";
            keys.add(folder + "index.m3u8");
            keys.add(folder + "init.mp4");
            MediaPlaylist.parse(readText(r.playlistKey())).segments().forEach(s -> keys.add(folder + s.uri()));
        }
        return keys;
    }

    /** The streams of a playlist's first program, as ffprobe sees them. */
    private static JsonNode probeStreams(Path playlist) throws Exception {
        return new ObjectMapper().readTree(TestVideos.run(List.of("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_type,codec_name,width,height,profile,level", "-of", "json", playlist.toString()))).path("streams");
    }

    /**
     * Every video rendition's segments start at the same instants ({@code cuts}, from the first frame), each with a
     * keyframe; an encoded rendition has keyframes there and nowhere else (a copy keeps the original's own as well).
     */
    private static void assertSegmentsStartAtTheSameKeyframes(Map<String, Path> playlists, List<Rendition> videos,
            List<Double> cuts, Set<String> copies) throws Exception {
        for (Rendition r : videos) {
            Path playlist = playlists.get(r.name());
            List<Double> starts = new ArrayList<>(List.of(0.0));
            for (MediaPlaylist.Segment segment : MediaPlaylist.parse(Files.readString(playlist)).segments()) {
                starts.add(starts.getLast() + segment.durationSeconds());
            }
            assertThat(starts.subList(0, cuts.size())).as("%s: segment starts", r.name())
                    .usingElementComparator((a, b) -> Math.abs(a - b) < 0.001 ? 0 : Double.compare(a, b))
                    .containsExactlyElementsOf(cuts);
            List<Double> keyframes = keyframeTimes(playlist);
            double first = keyframes.getFirst();
            List<Double> relative = keyframes.stream().map(k -> k - first).toList();
            for (double cut : cuts) {
                assertThat(relative).as("%s has a keyframe at %.3f", r.name(), cut).anyMatch(k -> Math.abs(k - cut) < 0.001);
            }
            if (!copies.contains(r.name())) {
                assertThat(relative).as("%s, encoded, keys only there", r.name()).hasSize(cuts.size());
            }
            // as a Media Source Extensions player places them (decode time + composition offset): ffprobe's own times
            // of a stream with B-frames are moved by its largest negative composition offset, so they cannot tell
            assertThat(presentationTimes(playlist)).as("%s: every segment's first frame is presented where every "
                    + "rendition's is", r.name())
                    .usingElementComparator((a, b) -> Math.abs(a - b) < 0.001 ? 0 : Double.compare(a, b))
                    .containsExactlyElementsOf(presentationTimes(playlists.get(videos.getFirst().name())));
        }
    }

    /** When each segment of a local playlist starts to be presented, in seconds of its track's timescale. */
    private static List<Double> presentationTimes(Path playlist) throws Exception {
        MediaPlaylist parsed = MediaPlaylist.parse(Files.readString(playlist));
        double timescale = Fmp4.timescale(Files.readAllBytes(playlist.resolveSibling(parsed.initUri())));
        List<Double> times = new ArrayList<>();
        for (MediaPlaylist.Segment segment : parsed.segments()) {
            times.add(Fmp4.firstPresentationTime(Files.readAllBytes(playlist.resolveSibling(segment.uri()))) / timescale);
        }
        return times;
    }

    private static long countFrames(Path playlist) throws Exception {
        return Long.parseLong(TestVideos.run(List.of("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", playlist.toString())).strip().lines().findFirst()
                .orElseThrow());
    }

    private static List<Double> keyframeTimes(Path playlist) throws Exception {
        return frameTimes(playlist, List.of("-skip_frame", "nokey"));
    }

    /** The presentation times of a playlist's video frames (ffprobe's), in presentation order. */
    private static List<Double> frameTimes(Path playlist, List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error", "-select_streams", "v:0"));
        command.addAll(options);
        command.addAll(List.of("-show_entries", "frame=pts_time", "-of", "csv=p=0", playlist.toString()));
        return TestVideos.run(command).lines().map(l -> l.replace(",", "").strip()).filter(l -> !l.isEmpty())
                .map(Double::valueOf).toList();
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
