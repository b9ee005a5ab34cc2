package dev.reel.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.cluster.Await;
import dev.reel.edge.Edge;
import dev.reel.events.CaptionKind;
import dev.reel.events.CaptionTrack;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.topics.Topics;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One edge in this JVM against the real broker and S3 server, serving a real ffmpeg ladder that the test puts where
 * the transcoder would and announces on reel.catalog as catalog-streams would.
 */
@RealCluster
class EdgeServingIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EdgeUnderTest under;
    private static ClusterEndpoints cluster;
    private static MinioClient s3;
    private static CatalogPublisher catalog;
    private static HlsLadder ladder;
    private static Edge edge;
    private static Http http;

    @BeforeAll
    static void start(ClusterEndpoints endpoints) throws Exception {
        under = EdgeUnderTest.start(endpoints, "edge-serving-it", Map.of());
        cluster = endpoints;
        s3 = under.s3;
        catalog = under.catalog;
        ladder = under.ladder;
        edge = under.edge;
        http = under.http;
    }

    @AfterAll
    static void stop() throws Exception {
        if (under != null) {
            under.close();
        }
    }

    /** Uploads the ladder under a new id and publishes its record; waits until the edge's replica has it. */
    private static VideoRecord video(Visibility visibility, VideoState state, int readyRenditions) throws Exception {
        return under.video(visibility, state, readyRenditions);
    }

    private static void publishAndAwait(VideoRecord record) throws Exception {
        under.publish(record);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void masterListsReadyRenditionsAndEveryFileIsByteIdenticalToStorage() throws Exception {
        VideoRecord video = video(Visibility.PUBLIC, VideoState.READY, 2);
        String base = "/v/" + video.videoId() + "/";

        HttpResponse<byte[]> master = http.get(base + "master.m3u8");
        assertThat(master.statusCode()).isEqualTo(200);
        assertThat(header(master, "Content-Type")).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(header(master, "Cache-Control")).isEqualTo("public, max-age=60");
        String masterText = new String(master.body(), StandardCharsets.UTF_8);
        assertThat(masterText).startsWith("#EXTM3U").contains("240p/index.m3u8", "360p/index.m3u8", "CODECS=\"avc1.");

        for (String rendition : HlsLadder.RENDITIONS) {
            HttpResponse<byte[]> playlist = http.get(base + rendition + "/index.m3u8");
            assertThat(playlist.statusCode()).isEqualTo(200);
            assertThat(playlist.body()).isEqualTo(Files.readAllBytes(ladder.file(rendition, "index.m3u8")));
            String playlistText = new String(playlist.body(), StandardCharsets.UTF_8);
            assertThat(playlistText).contains("#EXT-X-MAP:URI=\"init.mp4\"", "seg-00001.m4s");

            HttpResponse<byte[]> init = http.get(base + rendition + "/init.mp4");
            assertThat(init.statusCode()).isEqualTo(200);
            assertThat(header(init, "Content-Type")).isEqualTo("video/mp4");
            assertThat(init.body()).isEqualTo(Files.readAllBytes(ladder.file(rendition, "init.mp4")));
            for (int n = 1; n <= ladder.segmentCount(rendition); n++) {
                String name = "seg-%05d.m4s".formatted(n);
                assertThat(playlistText).contains(name);
                HttpResponse<byte[]> segment = http.get(base + rendition + "/" + name);
                assertThat(segment.statusCode()).as(name).isEqualTo(200);
                assertThat(header(segment, "Content-Type")).isEqualTo("video/iso.segment");
                assertThat(header(segment, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
                assertThat(header(segment, "ETag")).isNotBlank();
                assertThat(header(segment, "Last-Modified")).isNotBlank();
                assertThat(segment.body()).as(name).isEqualTo(Files.readAllBytes(ladder.file(rendition, name)));
            }
        }
    }

    @Test
    void aPlayableVideoListsOnlyItsReadyRenditionsAndGainsTheRestAsTheyFinish() throws Exception {
        VideoRecord video = video(Visibility.PUBLIC, VideoState.PLAYABLE, 1);
        String base = "/v/" + video.videoId() + "/";
        HttpResponse<byte[]> master = http.get(base + "master.m3u8");
        assertThat(new String(master.body())).contains("240p/index.m3u8").doesNotContain("360p");
        assertThat(header(master, "Cache-Control")).isEqualTo("public, max-age=2");
        assertThat(header(http.get(base + "240p/index.m3u8"), "Cache-Control")).isEqualTo("public, max-age=2");
        assertThat(http.get(base + "360p/index.m3u8").statusCode()).isEqualTo(404);

        publishAndAwait(ladder.record(video.videoId(), video.title(), Visibility.PUBLIC, VideoState.READY, 2, 2));
        assertThat(http.text(base + "master.m3u8")).contains("240p/index.m3u8", "360p/index.m3u8");
        assertThat(http.get(base + "360p/index.m3u8").statusCode()).isEqualTo(200);
    }

    @Test
    void aMasterPlaylistAskedForWithPreferWaitIsHeldUntilTheVideoHasARenditionToPlay() throws Exception {
        String id = TestEdges.newVideoId();
        ladder.upload(s3, cluster.bucket(), id);
        String master = "/v/" + id + "/master.m3u8";
        ExecutorService asker = Executors.newSingleThreadExecutor();
        try {
            // asked for before the edge has read anything of the video, as a watch page opened during the upload asks
            CompletableFuture<HttpResponse<byte[]>> held = CompletableFuture.supplyAsync(() -> send("HEAD", master,
                    "Prefer", "respond-async, wait=20"), asker);
            Await.until("the request is held", Duration.ofSeconds(30), () -> http.metric("reel_edge_playlists_held") == 1,
                    List.of());
            publishAndAwait(ladder.record(id, "Held", Visibility.PUBLIC, VideoState.UPLOADED, 0, 1));
            assertThat(http.get(master).statusCode()).as("without Prefer: answered at once").isEqualTo(404);
            assertThat(held).as("no rendition yet: still held").isNotDone();
            assertThat(http.metric("reel_edge_playlists_held")).isEqualTo(1);

            publishAndAwait(ladder.record(id, "Held", Visibility.PUBLIC, VideoState.PLAYABLE, 1, 2));
            HttpResponse<byte[]> answered = held.get(30, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(header(answered, "Content-Type")).isEqualTo("application/vnd.apple.mpegurl");
            assertThat(http.metric("reel_edge_playlists_held")).isZero();

            // an id that never comes is held for the wait asked for, then answered as unknown
            long asked = System.nanoTime();
            HttpResponse<byte[]> unknown = send("HEAD", "/v/" + TestEdges.newVideoId() + "/master.m3u8", "Prefer", "wait=1");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("held for the second asked for")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            // a playable video's answer is not held
            assertThat(send("GET", master, "Prefer", "wait=20").statusCode()).isEqualTo(200);
        } finally {
            asker.shutdownNow();
        }
    }

    private static HttpResponse<byte[]> send(String method, String path, String... headers) {
        try {
            return http.send(method, path, HttpRequest.BodyPublishers.noBody(), headers);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rangesConditionalRequestsAndHead() throws Exception {
        VideoRecord video = video(Visibility.PUBLIC, VideoState.READY, 2);
        String segment = "/v/" + video.videoId() + "/360p/seg-00002.m4s";
        byte[] expected = Files.readAllBytes(ladder.file("360p", "seg-00002.m4s"));

        HttpResponse<byte[]> first = http.get(segment, "Range", "bytes=100-1099");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(header(first, "Content-Range")).isEqualTo("bytes 100-1099/" + expected.length);
        assertThat(first.body()).isEqualTo(Arrays.copyOfRange(expected, 100, 1100));

        HttpResponse<byte[]> suffix = http.get(segment, "Range", "bytes=-500");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(expected, expected.length - 500, expected.length));

        HttpResponse<byte[]> unsatisfiable = http.get(segment, "Range", "bytes=" + (expected.length + 10) + "-");
        assertThat(unsatisfiable.statusCode()).isEqualTo(416);
        assertThat(header(unsatisfiable, "Content-Range")).isEqualTo("bytes */" + expected.length);

        HttpResponse<byte[]> twoRanges = http.get(segment, "Range", "bytes=0-9,20-29");
        assertThat(twoRanges.statusCode()).isEqualTo(206);
        assertThat(header(twoRanges, "Content-Type")).startsWith("multipart/byteranges");

        HttpResponse<byte[]> tooManyRanges = http.get(segment, "Range", "bytes=0-1,3-4,6-7,9-10,12-13,15-16");
        assertThat(tooManyRanges.statusCode()).isEqualTo(416);

        HttpResponse<byte[]> full = http.get(segment);
        String etag = header(full, "ETag");
        assertThat(http.get(segment, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(http.get(segment, "If-Modified-Since", header(full, "Last-Modified")).statusCode()).isEqualTo(304);
        assertThat(http.get(segment, "If-None-Match", "\"something-else\"").statusCode()).isEqualTo(200);
        String master = "/v/" + video.videoId() + "/master.m3u8";
        assertThat(http.get(master, "If-None-Match", header(http.get(master), "ETag")).statusCode()).isEqualTo(304);

        HttpResponse<byte[]> head = http.send("HEAD", segment, HttpRequest.BodyPublishers.noBody());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(expected.length));
        assertThat(header(head, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(head.body()).isEmpty();
        assertThat(http.send("HEAD", master, HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(200);
        assertThat(http.send("DELETE", segment, HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(405);
    }

    @Test
    void corsForOtherOriginsAndGzipForPlaylistsOnly() throws Exception {
        VideoRecord video = video(Visibility.PUBLIC, VideoState.READY, 2);
        String base = "/v/" + video.videoId() + "/";
        HttpResponse<byte[]> cross = http.get(base + "master.m3u8", "Origin", "https://player.example.com");
        assertThat(header(cross, "Access-Control-Allow-Origin")).isEqualTo("https://player.example.com");

        HttpResponse<byte[]> preflight = http.send("OPTIONS", base + "240p/seg-00001.m4s", HttpRequest.BodyPublishers.noBody(),
                "Origin", "https://player.example.com", "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "range,cmcd-object,cmcd-request,cmcd-session,cmcd-status");
        assertThat(preflight.statusCode()).isBetween(200, 204);
        assertThat(header(preflight, "Access-Control-Allow-Headers")).as("a player elsewhere may send CMCD as headers")
                .containsIgnoringCase("range").containsIgnoringCase("CMCD-Object").containsIgnoringCase("CMCD-Request")
                .containsIgnoringCase("CMCD-Session").containsIgnoringCase("CMCD-Status");

        HttpResponse<byte[]> playlist = http.get(base + "360p/index.m3u8", "Accept-Encoding", "gzip");
        assertThat(header(playlist, "Content-Encoding")).isEqualTo("gzip");
        try (GZIPInputStream unzipped = new GZIPInputStream(new java.io.ByteArrayInputStream(playlist.body()))) {
            assertThat(unzipped.readAllBytes()).isEqualTo(Files.readAllBytes(ladder.file("360p", "index.m3u8")));
        }
        HttpResponse<byte[]> segment = http.get(base + "360p/seg-00001.m4s", "Accept-Encoding", "gzip");
        assertThat(header(segment, "Content-Encoding")).isNull();
        assertThat(segment.body()).isEqualTo(Files.readAllBytes(ladder.file("360p", "seg-00001.m4s")));
    }

    @Test
    void unknownDeletedAndOutOfListPathsAreRefused() throws Exception {
        VideoRecord video = video(Visibility.PUBLIC, VideoState.READY, 2);
        String id = video.videoId();
        assertThat(http.get("/v/" + TestEdges.newVideoId() + "/master.m3u8").statusCode()).isEqualTo(404);
        for (String path : List.of("/v/" + id + "/240p/../../thumb.jpg", "/v/" + id + "/%2e%2e/%2e%2e/thumb.jpg",
                "/v/" + id + "/240p/%2e%2e%2finit.mp4", "/v/" + id + "/240p/index.m3u8%00.jpg", "/v/" + id + "/240p/foo.txt",
                "/v/" + id + "/999p/index.m3u8", "/v/" + id + "/240p/seg-00099.m4s", "/v/" + id + "/240p/seg-1.m4s",
                "/v/" + id + "/thumb.jpg", "/v/../../etc/passwd", "/v/" + id + "//240p/init.mp4", "/etc/passwd")) {
            int status = http.get(path).statusCode();
            assertThat(status).as(path).isIn(400, 404);
        }
        catalog.tombstone(id);
        Await.until("tombstone applied", Duration.ofMinutes(1), () -> edge.catalog().isDeleted(id), List.of());
        assertThat(http.get("/v/" + id + "/master.m3u8").statusCode()).isEqualTo(410);
        assertThat(http.get("/v/" + id + "/240p/seg-00001.m4s").statusCode()).isEqualTo(410);
        assertThat(http.get("/watch/" + id).statusCode()).isEqualTo(410);
    }

    @Test
    void aDeletedVideoLeavesTheCacheAndAPrivateOneLeavesNoTrace() throws Exception {
        VideoRecord shown = video(Visibility.PUBLIC, VideoState.READY, 2);
        VideoRecord secret = video(Visibility.PRIVATE, VideoState.READY, 2);
        String token = "?token=" + TestEdges.TOKENS.mint(secret.videoId(), Instant.now().plusSeconds(600));
        assertThat(http.get("/v/" + shown.videoId() + "/240p/seg-00001.m4s").statusCode()).isEqualTo(200);
        assertThat(http.get("/v/" + secret.videoId() + "/240p/seg-00001.m4s" + token).statusCode()).isEqualTo(200);
        double cached = http.metric("reel_edge_cache_entries");
        catalog.tombstone(shown.videoId());
        catalog.tombstone(secret.videoId());
        Await.until("both deletions applied", Duration.ofMinutes(1),
                () -> edge.catalog().video(secret.videoId()).isEmpty() && edge.catalog().isDeleted(shown.videoId()), List.of());
        // The replica drops a video from its table before it evicts the video's objects (so no request can cache them
        // again in between): the eviction follows within the same record's handling.
        Await.until("their objects left the cache", Duration.ofSeconds(10),
                () -> http.metric("reel_edge_cache_entries") <= cached - 2, List.of());
        assertThat(http.get("/v/" + shown.videoId() + "/master.m3u8").statusCode()).isEqualTo(410);
        // A deleted private video is just an unknown id, token or not.
        HttpResponse<byte[]> deleted = http.get("/v/" + secret.videoId() + "/master.m3u8" + token);
        assertThat(deleted.statusCode()).isEqualTo(404);
        assertThat(new String(deleted.body()))
                .isEqualTo("{\"error\":\"unknown video\",\"videoId\":\"" + secret.videoId() + "\"}");
    }

    @Test
    void privateVideosNeedAValidTokenThatFollowsThePlayerAndAreUnknownWithoutIt() throws Exception {
        VideoRecord video = video(Visibility.PRIVATE, VideoState.READY, 2);
        String id = video.videoId();
        String base = "/v/" + id + "/";
        String unknownId = TestEdges.newVideoId();
        String valid = TestEdges.TOKENS.mint(id, Instant.now().plusSeconds(600));
        String expired = TestEdges.TOKENS.mint(id, Instant.now().minusSeconds(1));
        String otherVideo = TestEdges.TOKENS.mint(TestEdges.newVideoId(), Instant.now().plusSeconds(600));
        String forged = valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA");
        for (String file : List.of("master.m3u8", "240p/index.m3u8", "240p/init.mp4", "240p/seg-00001.m4s", "poster.jpg")) {
            // exactly what an id that never existed gets: 404, same body
            String unknown = new String(http.get("/v/" + unknownId + "/" + file).body()).replace(unknownId, id);
            HttpResponse<byte[]> without = http.get(base + file);
            assertThat(without.statusCode()).as(file + " without token").isEqualTo(404);
            assertThat(new String(without.body())).isEqualTo(unknown);
            for (String bad : List.of(expired, otherVideo, forged, "garbage")) {
                HttpResponse<byte[]> refused = http.get(base + file + "?token=" + bad);
                assertThat(refused.statusCode()).as(file + " with " + bad).isEqualTo(404);
                assertThat(new String(refused.body())).isEqualTo(unknown);
            }
            assertThat(http.get(base + file, "Authorization", "Bearer " + TestEdges.BOB_KEY).statusCode())
                    .as(file + " with another owner's key").isEqualTo(404);
        }
        // Its owner's API key opens it too (for tools; players use tokens).
        assertThat(http.get(base + "240p/seg-00001.m4s", "Authorization", "Bearer " + TestEdges.OWNER_KEY).statusCode())
                .isEqualTo(200);
        String query = "?token=" + valid;
        HttpResponse<byte[]> master = http.get(base + "master.m3u8" + query);
        assertThat(master.statusCode()).isEqualTo(200);
        assertThat(header(master, "Cache-Control")).startsWith("private");
        assertThat(new String(master.body())).contains("240p/index.m3u8" + query);
        String playlist = new String(http.get(base + "240p/index.m3u8" + query).body());
        assertThat(playlist).contains("#EXT-X-MAP:URI=\"init.mp4" + query + "\"", "seg-00001.m4s" + query);
        assertThat(http.get(base + "240p/seg-00001.m4s" + query).body())
                .isEqualTo(Files.readAllBytes(ladder.file("240p", "seg-00001.m4s")));
        HttpResponse<byte[]> hidden = http.get("/watch/" + id);
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.body()).isEqualTo(http.get("/watch/" + unknownId).body());
        HttpResponse<byte[]> page = http.get("/watch/" + id + query);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(header(page, "Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(header(page, "Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(header(http.get(base + "240p/seg-00001.m4s" + query), "X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void aRangeOfAnUncachedSegmentReadsTheRangeThenFillsTheCacheOnce() throws Exception {
        VideoRecord video = video(Visibility.PUBLIC, VideoState.READY, 2);
        String segment = "/v/" + video.videoId() + "/240p/seg-00002.m4s";
        byte[] expected = Files.readAllBytes(ladder.file("240p", "seg-00002.m4s"));
        double rangedBefore = http.metric("reel_edge_storage_ranged_reads_total");
        double wholeBefore = http.metric("reel_edge_storage_reads_total");

        HttpResponse<byte[]> part = http.get(segment, "Range", "bytes=200-399");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(header(part, "Content-Range")).isEqualTo("bytes 200-399/" + expected.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(expected, 200, 400));
        assertThat(http.metric("reel_edge_storage_ranged_reads_total") - rangedBefore).as("the range read alone")
                .isEqualTo(1.0);

        // The whole object follows once, in the background; then ranges, open ones included, are hits.
        Await.until("the cache filled", Duration.ofSeconds(30),
                () -> http.metric("reel_edge_storage_reads_total") - wholeBefore == 1.0, List.of());
        HttpResponse<byte[]> rest = http.get(segment, "Range", "bytes=300-");
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(expected, 300, expected.length));
        assertThat(header(rest, "ETag")).isEqualTo(header(part, "ETag"));
        assertThat(http.get(segment).body()).isEqualTo(expected);
        assertThat(http.metric("reel_edge_storage_ranged_reads_total") - rangedBefore).isEqualTo(1.0);
        assertThat(http.metric("reel_edge_storage_reads_total") - wholeBefore).isEqualTo(1.0);

        // A range past the end of an uncached segment: storage refuses it, the whole object answers 416 with the size.
        String other = "/v/" + video.videoId() + "/240p/seg-00003.m4s";
        long size = Files.size(ladder.file("240p", "seg-00003.m4s"));
        HttpResponse<byte[]> past = http.get(other, "Range", "bytes=" + (size + 5) + "-" + (size + 10));
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(header(past, "Content-Range")).isEqualTo("bytes */" + size);
    }

    @Test
    void textTracksJoinTheMasterOfAReadyVideoAndFollowTheToken() throws Exception {
        VideoRecord video = video(Visibility.PRIVATE, VideoState.READY, 2);
        String id = video.videoId();
        String base = "/v/" + id + "/";
        byte[] vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nBonjour\n".getBytes(StandardCharsets.UTF_8);
        String key = ObjectKeys.captions(id, "fr", "0".repeat(64));
        s3.putObject(PutObjectArgs.builder().bucket(cluster.bucket()).object(key)
                .stream(new ByteArrayInputStream(vtt), (long) vtt.length, -1L).contentType("text/vtt").build());
        CaptionTrack fr = new CaptionTrack("fr", "Français", CaptionKind.SUBTITLES, key, vtt.length, 1);
        publishAndAwait(withCaptions(video, List.of(fr), 2));

        for (String file : List.of("captions/fr.m3u8", "captions/fr.vtt")) {
            assertThat(http.get(base + file).statusCode()).as(file + " without token: an unknown id").isEqualTo(404);
        }
        String query = "?token=" + TestEdges.TOKENS.mint(id, Instant.now().plusSeconds(600));
        String master = new String(http.get(base + "master.m3u8" + query).body(), StandardCharsets.UTF_8);
        assertThat(master).contains("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"Français\",LANGUAGE=\"fr\","
                + "DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI=\"captions/fr.m3u8" + query + "\"");
        assertThat(master.lines().filter(line -> line.startsWith("#EXT-X-STREAM-INF:"))).hasSize(2)
                .allMatch(line -> line.endsWith(",SUBTITLES=\"subs\""));
        HttpResponse<byte[]> playlist = http.get(base + "captions/fr.m3u8" + query);
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(header(playlist, "Content-Type")).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(new String(playlist.body(), StandardCharsets.UTF_8)).contains("#EXT-X-PLAYLIST-TYPE:VOD", "fr.vtt" + query,
                "#EXT-X-ENDLIST");
        HttpResponse<byte[]> file = http.get(base + "captions/fr.vtt" + query);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(header(file, "Content-Type")).isEqualTo("text/vtt;charset=utf-8");
        assertThat(header(file, "Cache-Control")).isEqualTo("private, max-age=60");
        assertThat(file.body()).isEqualTo(vtt);
        assertThat(http.get(base + "captions/de.vtt" + query).statusCode()).isEqualTo(404);
        assertThat(http.get(base + "captions/fr.srt" + query).statusCode()).isEqualTo(404);

        publishAndAwait(withCaptions(video, List.of(), 3)); // removed by the owner
        assertThat(http.get(base + "captions/fr.vtt" + query).statusCode()).isEqualTo(404);
        assertThat(new String(http.get(base + "master.m3u8" + query).body(), StandardCharsets.UTF_8)).doesNotContain("SUBTITLES");
    }

    @Test
    void theStoryboardIsServedBesideTheVideoWithItsSpriteAndFollowsTheToken() throws Exception {
        VideoRecord video = video(Visibility.PRIVATE, VideoState.READY, 2);
        String id = video.videoId();
        String base = "/v/" + id + "/";
        assertThat(http.get(base + "storyboard.vtt" + "?token=" + TestEdges.TOKENS.mint(id, Instant.now().plusSeconds(600)))
                .statusCode()).as("no storyboard in its record yet").isEqualTo(404);
        byte[] vtt = ("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nstoryboard.jpg#xywh=0,0,160,90\n\n"
                + "00:00:02.000 --> 00:00:03.500\nstoryboard.jpg#xywh=160,0,160,90\n").getBytes(StandardCharsets.UTF_8);
        byte[] sprite = Files.readAllBytes(ladder.file(".", "thumb.jpg")); // any JPEG stands in for a sprite here
        put(ObjectKeys.storyboard(id), vtt, "text/vtt");
        put(ObjectKeys.storyboardSprite(id), sprite, "image/jpeg");
        publishAndAwait(new VideoRecord(id, video.title(), video.description(), video.visibility(), video.owner(),
                video.source(), video.state(), video.progressPercent(), video.failureReason(), video.renditions(),
                video.posterKey(), video.downloadsOff(), video.captions(), ObjectKeys.storyboard(id), video.transitions(),
                video.updatedAt(), 2));

        String unknownId = TestEdges.newVideoId();
        for (String file : List.of("storyboard.vtt", "storyboard.jpg")) {
            // a private video's storyboard without a token: exactly what an id that never existed gets
            String unknown = new String(http.get("/v/" + unknownId + "/" + file).body()).replace(unknownId, id);
            HttpResponse<byte[]> without = http.get(base + file);
            assertThat(without.statusCode()).as(file + " without token").isEqualTo(404);
            assertThat(new String(without.body())).isEqualTo(unknown);
        }
        String query = "?token=" + TestEdges.TOKENS.mint(id, Instant.now().plusSeconds(600));
        HttpResponse<byte[]> file = http.get(base + "storyboard.vtt" + query);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(header(file, "Content-Type")).isEqualTo("text/vtt;charset=utf-8");
        assertThat(header(file, "Cache-Control")).isEqualTo("private, max-age=3600");
        assertThat(new String(file.body(), StandardCharsets.UTF_8)).startsWith("WEBVTT")
                .contains("storyboard.jpg" + query + "#xywh=0,0,160,90", "storyboard.jpg" + query + "#xywh=160,0,160,90");
        HttpResponse<byte[]> image = http.get(base + "storyboard.jpg" + query);
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(header(image, "Content-Type")).isEqualTo("image/jpeg");
        assertThat(header(image, "Cache-Control")).isEqualTo("private, max-age=3600");
        assertThat(image.body()).isEqualTo(sprite);
        assertThat(http.get(base + "storyboard.png" + query).statusCode()).isEqualTo(404);
        assertThat(http.get(base + "storyboard.vtt" + query, "If-None-Match", header(file, "ETag")).statusCode())
                .isEqualTo(304);
    }

    private static void put(String key, byte[] bytes, String contentType) throws Exception {
        s3.putObject(PutObjectArgs.builder().bucket(cluster.bucket()).object(key)
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).contentType(contentType).build());
    }

    private static VideoRecord withCaptions(VideoRecord video, List<CaptionTrack> captions, long version) {
        return new VideoRecord(video.videoId(), video.title(), video.description(), video.visibility(), video.owner(),
                video.source(), video.state(), video.progressPercent(), video.failureReason(), video.renditions(),
                video.posterKey(), video.downloadsOff(), captions, video.transitions(), video.updatedAt(), version);
    }

    @Test
    void concurrentMissesForOneSegmentMakeOneStorageRead() throws Exception {
        VideoRecord video = video(Visibility.PUBLIC, VideoState.READY, 2);
        String segment = "/v/" + video.videoId() + "/360p/seg-00003.m4s";
        byte[] expected = Files.readAllBytes(ladder.file("360p", "seg-00003.m4s"));
        double readsBefore = http.metric("reel_edge_storage_reads_total");

        int clients = 200;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                responses.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return http.get(segment);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            go.countDown();
            for (CompletableFuture<HttpResponse<byte[]>> response : responses) {
                assertThat(response.join().statusCode()).isEqualTo(200);
                assertThat(response.join().body()).isEqualTo(expected);
            }
        }
        assertThat(http.metric("reel_edge_storage_reads_total") - readsBefore).isEqualTo(1.0);
        assertThat(http.metric("reel_edge_cache_requests_total")).isGreaterThanOrEqualTo(clients);
    }

    @Test
    void playbackEventsReachReelPlayback() throws Exception {
        VideoRecord video = video(Visibility.PUBLIC, VideoState.READY, 2);
        String id = video.videoId();
        String session = "session-" + id.substring(0, 8);
        assertThat(http.get("/v/" + id + "/master.m3u8?session=" + session, "User-Agent", "reel-test").statusCode())
                .isEqualTo(200);
        byte[] segment = http.get("/v/" + id + "/240p/seg-00001.m4s").body();
        http.get("/v/" + id + "/240p/seg-00001.m4s", "Range", "bytes=0-99");
        // hls.js with cmcd on: CMCD as a query argument on playlist and segment requests
        String cmcd = "?CMCD=" + URLEncoder.encode("bl=8400,br=880,mtp=25400,ot=v,sf=h,sid=\"" + session + "\",su",
                StandardCharsets.UTF_8);
        assertThat(http.get("/v/" + id + "/240p/seg-00001.m4s" + cmcd).statusCode()).isEqualTo(200);
        assertThat(http.get("/v/" + id + "/240p/index.m3u8?CMCD=" + URLEncoder.encode("ot=m,sid=\"" + session + "\"",
                StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(http.get("/v/" + id + "/240p/init.mp4?CMCD=%22%22%22,bl=-1,zz=(,").statusCode())
                .as("malformed CMCD is never the viewer's problem").isEqualTo(200);
        // hls.js with cmcd.useHeaders (the watch page): the same keys in the CMCD-* headers
        assertThat(http.get("/v/" + id + "/240p/seg-00002.m4s", "CMCD-Object", "br=1200,ot=av", "CMCD-Request",
                "bl=9100,mtp=31000", "CMCD-Session", "cid=\"" + id + "\",sid=\"" + session + "\"").statusCode()).isEqualTo(200);
        String beacon = "{\"videoId\":\"" + id + "\",\"sessionId\":\"" + session
                + "\",\"startupMillis\":420,\"stalls\":1,\"stallMillis\":250,\"rendition\":\"240p\",\"sequence\":2,"
                + "\"trigger\":\"stall-end\",\"watchMillis\":3000,\"stallEvents\":[{\"atMillis\":1500,\"durationMillis\":250}],"
                + "\"exitedBeforeStart\":false,\"renditionSwitches\":0}";
        assertThat(
                http.send("POST", "/api/beacon", HttpRequest.BodyPublishers.ofString(beacon), "Content-Type", "application/json")
                        .statusCode())
                .isEqualTo(204);
        assertThat(http.send("POST", "/api/beacon", HttpRequest.BodyPublishers.ofString("{\"videoId\":\"../x\"}"))
                .statusCode()).isEqualTo(400);

        List<JsonNode> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PLAYBACK).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until("playback events of " + id, Duration.ofMinutes(1), () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (id.equals(r.key())) {
                        events.add(readTree(r.value()));
                    }
                });
                return events.stream().map(e -> e.get("type").asText()).distinct().count() == 3 && events.size() >= 8;
            }, List.of());
        }
        JsonNode started = events.stream().filter(e -> e.get("type").asText().equals("reel.playback.started")).findFirst()
                .orElseThrow();
        assertThat(started.at("/data/sessionId").asText()).isEqualTo(session);
        assertThat(started.at("/data/userAgent").asText()).isEqualTo("reel-test");
        assertThat(started.get("source").asText()).isEqualTo("edge/edge-serving-it");
        List<JsonNode> served = events.stream().filter(e -> e.get("type").asText().equals("reel.segment.served")).toList();
        assertThat(served).anySatisfy(e -> assertThat(e.at("/data/bytes").asLong()).isEqualTo(segment.length));
        assertThat(served).anySatisfy(e -> assertThat(e.at("/data/bytes").asLong()).isEqualTo(100));
        JsonNode tagged = served.stream().filter(e -> e.at("/data/objectType").asText().equals("v")).findFirst().orElseThrow();
        assertThat(tagged.at("/data/sessionId").asText()).isEqualTo(session);
        assertThat(tagged.at("/data/bufferMillis").asLong()).isEqualTo(8_400);
        assertThat(tagged.at("/data/measuredThroughputKbps").asLong()).isEqualTo(25_400);
        assertThat(tagged.at("/data/bitrateKbps").asLong()).isEqualTo(880);
        assertThat(tagged.at("/data/startup").asBoolean()).isTrue();
        JsonNode fromHeaders = served.stream().filter(e -> e.at("/data/objectType").asText().equals("av")).findFirst()
                .orElseThrow();
        assertThat(fromHeaders.at("/data/sessionId").asText()).isEqualTo(session);
        assertThat(fromHeaders.at("/data/bufferMillis").asLong()).isEqualTo(9_100);
        assertThat(fromHeaders.at("/data/measuredThroughputKbps").asLong()).isEqualTo(31_000);
        assertThat(fromHeaders.at("/data/bitrateKbps").asLong()).isEqualTo(1_200);
        assertThat(fromHeaders.at("/data/file").asText()).isEqualTo("seg-00002.m4s");
        assertThat(served).anySatisfy(e -> {
            assertThat(e.at("/data/file").asText()).isEqualTo("index.m3u8");
            assertThat(e.at("/data/objectType").asText()).isEqualTo("m");
        });
        assertThat(served).filteredOn(e -> e.at("/data/file").asText().equals("seg-00001.m4s") && !e.at("/data/objectType")
                .isMissingNode()).hasSize(1);
        assertThat(http.metric("reel_edge_cmcd_ignored_keys_total")).isGreaterThanOrEqualTo(1);
        assertThat(served).allSatisfy(e -> {
            assertThat(e.at("/data/rendition").asText()).isEqualTo("240p");
            assertThat(e.at("/data/edge").asText()).isEqualTo("edge/edge-serving-it");
        });
        JsonNode beaconEvent = events.stream().filter(e -> e.get("type").asText().equals("reel.playback.beacon")).findFirst()
                .orElseThrow();
        assertThat(beaconEvent.at("/data/startupMillis").asLong()).isEqualTo(420);
        assertThat(beaconEvent.at("/data/stalls").asInt()).isEqualTo(1);
        assertThat(beaconEvent.at("/data/stallEvents/0/durationMillis").asLong()).isEqualTo(250);
        assertThat(beaconEvent.at("/data/trigger").asText()).isEqualTo("stall-end");
    }

    @Test
    void libraryAndWatchPages() throws Exception {
        VideoRecord ready = video(Visibility.PUBLIC, VideoState.READY, 2);
        VideoRecord unlisted = video(Visibility.UNLISTED, VideoState.READY, 2);
        String library = http.text("/");
        assertThat(library).contains("/watch/" + ready.videoId(), "/v/" + ready.videoId() + "/poster.jpg", ready.title())
                .doesNotContain(unlisted.videoId());
        HttpResponse<byte[]> poster = http.get("/v/" + ready.videoId() + "/poster.jpg");
        assertThat(poster.statusCode()).isEqualTo(200);
        assertThat(header(poster, "Content-Type")).isEqualTo("image/jpeg");

        HttpResponse<byte[]> watch = http.get("/watch/" + ready.videoId());
        assertThat(watch.statusCode()).isEqualTo(200);
        assertThat(new String(watch.body())).contains(ready.title(), "A test pattern &lt;b&gt;with&lt;/b&gt; a tone.",
                "/assets/hls.min.js", "/assets/player.js", "<option value=\"-1\">Auto</option>",
                "/analytics?video=" + ready.videoId());
        assertThat(http.get("/watch/" + unlisted.videoId()).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> dashboard = http.get("/analytics");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(new String(dashboard.body())).contains("/assets/uPlot.iife.min.js", "/assets/analytics.js",
                "/assets/uPlot.min.css");
        for (String asset : List.of("/assets/uPlot.iife.min.js", "/assets/uPlot.min.css", "/assets/analytics.js")) {
            assertThat(http.get(asset).statusCode()).as(asset).isEqualTo(200);
        }
        assertThat(http.get("/watch/" + TestEdges.newVideoId()).statusCode()).isEqualTo(404);

        HttpResponse<byte[]> hls = http.get("/assets/hls.min.js", "Accept-Encoding", "gzip");
        assertThat(hls.statusCode()).isEqualTo(200);
        assertThat(header(hls, "Content-Type")).startsWith("text/javascript");
        assertThat(header(hls, "Content-Encoding")).isEqualTo("gzip");
        assertThat(http.get("/assets/../logback.xml").statusCode()).isIn(400, 404);
        assertThat(http.get("/assets/logback.xml").statusCode()).isEqualTo(404);
    }

    private static JsonNode readTree(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
