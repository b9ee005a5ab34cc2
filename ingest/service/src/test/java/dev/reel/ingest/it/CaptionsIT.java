package dev.reel.ingest.it;

import static dev.reel.ingest.it.IngestHarness.ALICE_KEY;
import static dev.reel.ingest.it.IngestHarness.BOB_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.events.CaptionKind;
import dev.reel.events.CaptionTrack;
import dev.reel.events.CaptionsRemoved;
import dev.reel.events.CaptionsSet;
import dev.reel.events.Envelope;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.IngestService;
import dev.reel.ingest.upload.VideoIds;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.GetObjectArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Text tracks through ingest against a real broker and S3 server: a SubRip file becomes a stored WebVTT file and a
 * {@code reel.captions.set} event, a replacement leaves only the new file, a removal leaves none, and every bad request is
 * refused with its reason, leaving no file and no event.
 */
@RealCluster
class CaptionsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SRT = "1\r\n00:00:01,000 --> 00:00:02,500\r\nOlá <font color=\"red\">mundo</font>\r\n";
    private static final String VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nOlá\n\n00:00:03.000 --> 00:00:04.000\nmundo\n";

    private static IngestService service;
    private static URI api;
    private static String bootstrap;
    private static MinioAsyncClient s3;
    private static String bucket;
    private static String video;
    private static final HttpClient http = IngestHarness.http();

    @BeforeAll
    static void start(ClusterEndpoints cluster) throws Exception {
        IngestHarness.ensureTopics(cluster.bootstrapServers());
        service = IngestHarness.start(IngestHarness.environment(cluster.bootstrapServers(), cluster.s3(), cluster.bucket()));
        api = URI.create("http://127.0.0.1:" + service.port());
        bootstrap = cluster.bootstrapServers();
        s3 = cluster.s3().asyncClient();
        bucket = cluster.bucket();
        // a video of alice's: ownership is the original's metadata, and nothing else of the video matters here
        video = new VideoIds().next();
        byte[] original = "not read".getBytes(StandardCharsets.UTF_8);
        s3.putObject(PutObjectArgs.builder().bucket(bucket).object(ObjectKeys.original(video))
                .stream(new ByteArrayInputStream(original), (long) original.length, -1L)
                .userMetadata(Map.of(ObjectKeys.OWNER_METADATA, "alice")).build()).get();
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aTrackIsStoredAsWebVttReplacedAndRemovedWithAnEventEachAndNoFileLeftOver() throws Exception {
        String prefix = ObjectKeys.captionsPrefix(video, "pt-BR");
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(bootstrap, Topics.METADATA);

        HttpResponse<String> set = send("PUT", "pt-br?label=Portugu%C3%AAs", ALICE_KEY, SRT);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(set.body());
        assertThat(answer.get("language").asText()).isEqualTo("pt-BR");
        assertThat(answer.get("sourceFormat").asText()).isEqualTo("srt");
        assertThat(answer.get("cues").asInt()).isEqualTo(1);
        List<String> first = IngestHarness.keys(s3, bucket, prefix);
        assertThat(first).hasSize(1);
        assertThat(read(first.getFirst())).isEqualTo("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nOlá mundo\n");
        CaptionTrack track = ((CaptionsSet) awaitEvents(from, 1).getFirst().data()).track();
        assertThat(track).isEqualTo(new CaptionTrack("pt-BR", "Português", CaptionKind.SUBTITLES, first.getFirst(),
                answer.get("sizeBytes").asLong(), 1));

        HttpResponse<String> replaced = send("PUT", "pt-BR?kind=captions", ALICE_KEY, VTT);
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        List<String> second = IngestHarness.keys(s3, bucket, prefix);
        assertThat(second).hasSize(1).doesNotContain(first.getFirst());
        assertThat(read(second.getFirst())).isEqualTo(VTT);
        CaptionTrack replacement = ((CaptionsSet) awaitEvents(from, 2).get(1).data()).track();
        assertThat(replacement.label()).as("the language's own name when no label is given").isEqualTo("Português (Brasil)");
        assertThat(replacement.kind()).isEqualTo(CaptionKind.CAPTIONS);
        assertThat(replacement.objectKey()).isEqualTo(second.getFirst());

        // the same file again: same key, kept
        assertThat(send("PUT", "pt-BR?kind=captions", ALICE_KEY, VTT).statusCode()).isEqualTo(200);
        assertThat(IngestHarness.keys(s3, bucket, prefix)).isEqualTo(second);
        awaitEvents(from, 3);

        HttpResponse<String> removed = send("DELETE", "pt-BR", ALICE_KEY, null);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(IngestHarness.keys(s3, bucket, prefix)).isEmpty();
        assertThat(awaitEvents(from, 4).get(3).data()).isEqualTo(new CaptionsRemoved(video, "pt-BR", "alice"));
        HttpResponse<String> again = send("DELETE", "pt-BR", ALICE_KEY, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(again.body()).get("error").asText()).isEqualTo("the video has no track in pt-BR");
    }

    @Test
    void badRequestsAreRefusedWithAReasonAndLeaveNoFileAndNoEvent() throws Exception {
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(bootstrap, Topics.METADATA);
        record Bad(String method, String path, String key, String body, int status, String reason) {
        }
        String tooLarge = "WEBVTT\n\n" + "00:00:01.000 --> 00:00:02.000\nx\n\n".repeat(70_000);
        List<Bad> corpus = List.of(
                new Bad("PUT", "fr", ALICE_KEY,
                        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:03.000 -> 00:00:04.000\nx\n",
                        422,
                        "line 6: expected a cue timing line like 00:00:01.000 --> 00:00:02.500, got '00:00:03.000 -> 00:00:04.000'"),
                new Bad("PUT", "fr", ALICE_KEY, "1\n00:00:01,000 --> 00:00:02,000\nok\n\nx\n00:00:03,000 --> 00:00:04,000\n", 422,
                        "line 5: expected a cue number (SubRip) or WEBVTT on the first line (WebVTT), got 'x'"),
                new Bad("PUT", "fr", ALICE_KEY, "", 400, "the body is empty"),
                new Bad("PUT", "fr", ALICE_KEY, tooLarge, 413, "over the limit of 2097152"),
                new Bad("PUT", "french", ALICE_KEY, VTT, 400, "the language must be a BCP 47 tag such as en, pt-BR or zh-Hant"),
                new Bad("PUT", "fr?kind=karaoke", ALICE_KEY, VTT, 400, "kind must be subtitles or captions"),
                new Bad("PUT", "fr?label=%22quoted%22", ALICE_KEY, VTT, 400,
                        "label must not contain control characters or double quotes"),
                new Bad("PUT", "fr", BOB_KEY, VTT, 404, "no such video"), // another owner's video is an unknown one
                new Bad("PUT", "fr", null, VTT, 401, "an API key is required"),
                new Bad("GET", "fr", ALICE_KEY, null, 405, "GET is not allowed here"),
                new Bad("PUT", "", ALICE_KEY, VTT, 404, "name the language"),
                new Bad("DELETE", "fr", ALICE_KEY, null, 404, "the video has no track in fr"));
        for (Bad bad : corpus) {
            HttpResponse<String> answer = send(bad.method(), bad.path(), bad.key(), bad.body());
            assertThat(answer.statusCode()).as(bad.path() + ": " + answer.body()).isEqualTo(bad.status());
            assertThat(JSON.readTree(answer.body()).get("error").asText()).as(bad.path()).contains(bad.reason());
        }
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(api.resolve("/api/videos/" + new VideoIds().next()
                + "/captions/fr")).header("Authorization", "Bearer " + ALICE_KEY).PUT(HttpRequest.BodyPublishers.ofString(VTT))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);

        assertThat(IngestHarness.keys(s3, bucket, ObjectKeys.captionsPrefix(video, "fr"))).isEmpty();
        String metrics = http.send(HttpRequest.newBuilder(api.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).containsPattern("reel_ingest_caption_requests_total\\{.*outcome=\"refused\".*} 2.0");
        // a marker event after the corpus: the only event since the start is the marker's
        assertThat(send("PUT", "de", ALICE_KEY, VTT).statusCode()).isEqualTo(200);
        List<Envelope<?>> events = awaitEvents(from, 1);
        assertThat(events).hasSize(1);
        assertThat(((CaptionsSet) events.getFirst().data()).track().language()).isEqualTo("de");
    }

    private static HttpResponse<String> send(String method, String languageAndQuery, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest
                .newBuilder(api.resolve("/api/videos/" + video + "/captions/" + languageAndQuery))
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** This video's events on reel.metadata since {@code from}, once there are {@code count} of them. */
    private static List<Envelope<?>> awaitEvents(Map<TopicPartition, Long> from, int count) {
        return IngestHarness.events(bootstrap, Topics.METADATA, from,
                seen -> seen.stream().filter(e -> e.subject().equals(video)).count() >= count, DEADLINE)
                .stream().filter(e -> e.subject().equals(video)).toList();
    }

    private static String read(String key) throws Exception {
        try (var in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()).get()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
