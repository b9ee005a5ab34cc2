package dev.reel.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.edge.Edge;
import dev.reel.events.Rendition;
import dev.reel.events.SourceFacts;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Downloads and the DASH manifest on one edge, against the real broker and S3 server and a real ffmpeg ladder in
 * storage: the MP4 and M4A are remuxed once by ffmpeg, stored under their keys, read by ffprobe with the source's
 * duration, served with ranges and validators; access rules, downloads turned off, renditions still growing, and a
 * remux that fails leaving nothing stored. The MPD names the stored segments.
 */
@RealCluster
class DownloadsAndDashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The ladder's frame rate is 30: one frame. */
    private static final double FRAME = 1.0 / 30;

    private static EdgeUnderTest under;
    private static MinioClient s3;
    private static HlsLadder ladder;
    private static Edge edge;
    private static Http http;
    private static String bucket;
    private static Path work;
    private static Path scratch;

    @BeforeAll
    static void start(ClusterEndpoints endpoints) throws Exception {
        work = Files.createDirectories(Path.of("target", "downloads-it").toAbsolutePath());
        scratch = Files.createTempDirectory(work, "scratch");
        under = EdgeUnderTest.start(endpoints, "edge-downloads-it", Map.of("REEL_EDGE_SCRATCH_DIR", scratch.toString()));
        s3 = under.s3;
        ladder = under.ladder;
        edge = under.edge;
        http = under.http;
        bucket = endpoints.bucket();
    }

    @AfterAll
    static void stop() throws Exception {
        if (under != null) {
            under.close();
        }
    }

    private static VideoRecord video(Visibility visibility, VideoState state, int ready) throws Exception {
        return under.video(visibility, state, ready);
    }

    private static VideoRecord publish(VideoRecord record) throws Exception {
        return under.publish(record);
    }

    @Test
    void anMp4AndAnM4aRemuxedOnceStartWithTheirIndexLastAsLongAsTheSourceAndServeRanges() throws Exception {
        VideoRecord video = video(Visibility.PUBLIC, VideoState.READY, 2);
        String mp4Path = "/v/" + video.videoId() + "/download/360p.mp4";
        double madeBefore = metric("reel_edge_downloads_made_total");

        // two viewers at once: one remux
        CompletableFuture<HttpResponse<byte[]>> other = CompletableFuture.supplyAsync(() -> get(mp4Path));
        HttpResponse<byte[]> mp4 = http.get(mp4Path);
        assertThat(mp4.statusCode()).isEqualTo(200);
        assertThat(other.join().body()).isEqualTo(mp4.body());
        assertThat(metric("reel_edge_downloads_made_total")).isEqualTo(madeBefore + 1);
        assertThat(header(mp4, "Content-Type")).isEqualTo("video/mp4");
        assertThat(header(mp4, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(mp4, "Content-Disposition")).contains("attachment", video.videoId() + "-360p.mp4");
        assertThat(topLevelBoxes(mp4.body())).as("+faststart: the index before the media").containsSubsequence("moov", "mdat");
        s3.statObject(StatObjectArgs.builder().bucket(bucket).object(ObjectKeys.download(video.videoId(), "360p.mp4"))
                .build());

        JsonNode probe = ffprobe(save(mp4.body(), "360p.mp4"));
        assertThat(probe.get("streams").findValuesAsText("codec_type")).containsExactlyInAnyOrder("video", "audio");
        assertThat(probe.get("format").get("duration").asDouble()).as("the source's duration within a frame")
                .isCloseTo(video.source().durationSeconds(), org.assertj.core.data.Offset.offset(FRAME));
        assertThat(probe.get("streams").findValuesAsText("codec_name")).contains("h264", "aac"); // copied, not re-encoded

        // again: served from storage, not made again; ranges and validators
        assertThat(http.get(mp4Path).body()).isEqualTo(mp4.body());
        assertThat(metric("reel_edge_downloads_made_total")).isEqualTo(madeBefore + 1);
        HttpResponse<byte[]> range = http.get(mp4Path, "Range", "bytes=1000-1999");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(header(range, "Content-Range")).isEqualTo("bytes 1000-1999/" + mp4.body().length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(mp4.body(), 1000, 2000));
        HttpResponse<byte[]> suffix = http.get(mp4Path, "Range", "bytes=-500");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(mp4.body(), mp4.body().length - 500, mp4.body().length));
        assertThat(http.get(mp4Path, "Range", "bytes=" + mp4.body().length + "-").statusCode()).isEqualTo(416);
        assertThat(http.get(mp4Path, "Range", "bytes=0-9,20-29").statusCode()).as("several ranges: the whole file")
                .isEqualTo(200);
        assertThat(http.get(mp4Path, "If-None-Match", header(mp4, "ETag")).statusCode()).isEqualTo(304);
        assertThat(http.get(mp4Path, "Range", "bytes=0-9", "If-Range", "\"other\"").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> head = http.send("HEAD", mp4Path, java.net.http.HttpRequest.BodyPublishers.noBody());
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(mp4.body().length);

        HttpResponse<byte[]> m4a = http.get("/v/" + video.videoId() + "/download/audio.m4a");
        assertThat(m4a.statusCode()).isEqualTo(200);
        assertThat(header(m4a, "Content-Type")).isEqualTo("audio/mp4");
        JsonNode audio = ffprobe(save(m4a.body(), "audio.m4a"));
        assertThat(audio.get("streams").findValuesAsText("codec_type")).containsExactly("audio");
        assertThat(audio.get("streams").findValuesAsText("codec_name")).containsExactly("aac");
        assertThat(audio.get("format").get("duration").asDouble())
                .isCloseTo(video.source().durationSeconds(), org.assertj.core.data.Offset.offset(FRAME));
        assertThat(topLevelBoxes(m4a.body())).containsSubsequence("moov", "mdat");
    }

    @Test
    void accessRulesTurnedOffGrowingAndMissingAreRefusedWithAReason() throws Exception {
        VideoRecord secret = video(Visibility.PRIVATE, VideoState.READY, 1);
        String path = "/v/" + secret.videoId() + "/download/240p.mp4";
        HttpResponse<byte[]> hidden = http.get(path);
        assertThat(hidden.statusCode()).as("a private video without its token is an unknown id").isEqualTo(404);
        assertThat(new String(hidden.body(), StandardCharsets.UTF_8)).contains("unknown video");
        assertThat(http.get(path, "Authorization", "Bearer " + TestEdges.OWNER_KEY).statusCode()).as("its owner's key")
                .isEqualTo(200);
        String token = TestEdges.TOKENS.mint(secret.videoId(), Instant.now().plusSeconds(600));
        HttpResponse<byte[]> allowed = http.get(path + "?token=" + token);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(header(allowed, "Cache-Control")).startsWith("private");

        VideoRecord off = publish(withDownloadsOff(video(Visibility.PUBLIC, VideoState.READY, 1)));
        HttpResponse<byte[]> refused = http.get("/v/" + off.videoId() + "/download/240p.mp4");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("turned downloads off");

        VideoRecord growing = video(Visibility.PUBLIC, VideoState.PLAYABLE, 1);
        VideoRecord stillGrowing = publish(new VideoRecord(growing.videoId(), growing.title(), null, Visibility.PUBLIC,
                growing.owner(), growing.source(), VideoState.PLAYABLE, 40, null,
                growing.renditions().stream().map(DownloadsAndDashIT::asGrowing).toList(), null, growing.transitions(),
                Instant.now(), 2));
        assertThat(http.get("/v/" + stillGrowing.videoId() + "/download/240p.mp4").statusCode()).isEqualTo(409);
        assertThat(http.get("/v/" + stillGrowing.videoId() + "/manifest.mpd").statusCode()).as("no complete rendition")
                .isEqualTo(404);
        assertThat(http.get("/v/" + off.videoId() + "/download/../x.mp4").statusCode()).isIn(400, 404);
        assertThat(http.get("/v/" + TestEdges.newVideoId() + "/download/240p.mp4").statusCode()).isEqualTo(404);

        VideoRecord silent = publish(withoutAudio(video(Visibility.PUBLIC, VideoState.READY, 1)));
        assertThat(http.get("/v/" + silent.videoId() + "/download/audio.m4a").statusCode()).isEqualTo(404);
        assertThat(http.get("/v/" + silent.videoId() + "/download/1080p.mp4").statusCode()).as("no such rung").isEqualTo(404);
        assertThat(http.send("POST", path, java.net.http.HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(405);
    }

    @Test
    void aRemuxThatFailsLeavesNothingInStorageOrScratch() throws Exception {
        VideoRecord video = video(Visibility.PUBLIC, VideoState.READY, 1);
        s3.removeObject(RemoveObjectArgs.builder().bucket(bucket)
                .object(ObjectKeys.renditionFile(video.videoId(), "240p", "seg-00002.m4s")).build());
        HttpResponse<byte[]> failed = http.get("/v/" + video.videoId() + "/download/240p.mp4");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(new String(failed.body(), StandardCharsets.UTF_8)).contains("could not be made");
        assertThat(objectExists(ObjectKeys.download(video.videoId(), "240p.mp4"))).isFalse();
        try (var left = Files.list(scratch)) {
            assertThat(left.toList()).as("no scratch file left").isEmpty();
        }
    }

    @Test
    void theMpdListsTheStoredSegmentsOfEveryCompleteRendition() throws Exception {
        VideoRecord video = video(Visibility.PRIVATE, VideoState.READY, 2);
        String token = TestEdges.TOKENS.mint(video.videoId(), Instant.now().plusSeconds(600));
        String base = "/v/" + video.videoId() + "/";
        assertThat(http.get(base + "manifest.mpd").statusCode()).as("unknown without its token").isEqualTo(404);
        HttpResponse<byte[]> mpd = http.get(base + "manifest.mpd?token=" + token);
        assertThat(mpd.statusCode()).isEqualTo(200);
        assertThat(header(mpd, "Content-Type")).isEqualTo("application/dash+xml");
        assertThat(header(mpd, "Cache-Control")).isEqualTo("private, max-age=60");
        String text = new String(mpd.body(), StandardCharsets.UTF_8);
        Matcher template = Pattern.compile("media=\"\\$RepresentationID\\$/seg-\\$Number%05d\\$\\.m4s([^\"]*)\"").matcher(text);
        assertThat(template.find()).as(text).isTrue();
        String query = template.group(1).replace("&amp;", "&");
        assertThat(query).startsWith("?token=");
        int segments = 0;
        Matcher s = Pattern.compile("<S (?:t=\"0\" )?d=\"(\\d+)\"(?: r=\"(\\d+)\")?/>").matcher(text);
        while (s.find()) {
            segments += 1 + (s.group(2) == null ? 0 : Integer.parseInt(s.group(2)));
        }
        assertThat(segments).isEqualTo(ladder.segmentCount("240p"));
        for (String rendition : HlsLadder.RENDITIONS) {
            assertThat(text).contains("id=\"" + rendition + "\"");
            assertThat(http.get(base + rendition + "/init.mp4" + query).statusCode()).isEqualTo(200);
            for (int n = 1; n <= segments; n++) {
                assertThat(http.get(base + rendition + String.format("/seg-%05d.m4s", n) + query).body())
                        .isEqualTo(Files.readAllBytes(ladder.file(rendition, String.format("seg-%05d.m4s", n))));
            }
        }
    }

    private static Rendition asGrowing(Rendition r) {
        return new Rendition(r.name(), r.width(), r.height(), r.bandwidth(), r.averageBandwidth(), r.codecs(), r.frameRate(),
                r.playlistKey(), r.segmentCount(), r.durationSeconds(), true);
    }

    private static VideoRecord withDownloadsOff(VideoRecord v) {
        return new VideoRecord(v.videoId(), v.title(), v.description(), v.visibility(), v.owner(), v.source(), v.state(),
                v.progressPercent(), null, v.renditions(), v.posterKey(), true, v.transitions(), Instant.now(), v.version() + 1);
    }

    private static VideoRecord withoutAudio(VideoRecord v) {
        SourceFacts s = v.source();
        return new VideoRecord(v.videoId(), v.title(), v.description(), v.visibility(), v.owner(),
                new SourceFacts(s.sizeBytes(), s.sha256(), s.durationSeconds(), s.width(), s.height(), s.videoCodec(), null,
                        s.objectKey(), s.filename()),
                v.state(), v.progressPercent(), null, v.renditions(), v.posterKey(), v.transitions(), Instant.now(),
                v.version() + 1);
    }

    private static boolean objectExists(String key) {
        try {
            s3.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The types of an MP4's top-level boxes, in order. */
    static List<String> topLevelBoxes(byte[] mp4) {
        List<String> types = new ArrayList<>();
        long at = 0;
        while (at + 8 <= mp4.length) {
            long size = ((mp4[(int) at] & 0xffL) << 24) | ((mp4[(int) at + 1] & 0xff) << 16) | ((mp4[(int) at + 2] & 0xff) << 8)
                    | (mp4[(int) at + 3] & 0xff);
            types.add(new String(mp4, (int) at + 4, 4, StandardCharsets.US_ASCII));
            if (size == 1 && at + 16 <= mp4.length) {
                size = java.nio.ByteBuffer.wrap(mp4, (int) at + 8, 8).getLong();
            }
            if (size < 8) {
                break;
            }
            at += size;
        }
        return types;
    }

    private static Path save(byte[] bytes, String name) throws Exception {
        return Files.write(work.resolve(System.nanoTime() + "-" + name), bytes);
    }

    static JsonNode ffprobe(Path file) throws Exception {
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return JSON.readTree(output);
    }

    private static double metric(String name) throws Exception {
        for (String line : http.text("/metrics").split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static HttpResponse<byte[]> get(String path) {
        try {
            return http.get(path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
