package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reel.cluster.Await;
import dev.reel.cluster.OwnThread;
import dev.reel.cluster.Ports;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.client.UploadListener;
import dev.reel.launcher.ReelPlatform;
import dev.reel.service.auth.ApiKeyRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform as {@code reel up --brokers 3} runs it (3 KRaft brokers, S3, ingest, 2 transcoders, 2 catalogs,
 * 2 edges, HAProxy), driven only through its front door, its CLI and its topics; then hurt one part at a time.
 * Every fault ends with the same checks: each video uploaded so far READY (entered once), every object present, view
 * counts exactly the views clients started, no playback or query request that failed after a client's retries.
 * The per-fault numbers go to {@code target/test-artifacts/fault-report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformE2EIT {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final Pattern VIDEO_LINE = Pattern.compile("(?m)^video (\\S+)$");

    @TempDir
    static Path runDir;
    @TempDir
    static Path work;

    private static ReelPlatform platform;
    private static FrontDoor front;
    private static Videos videos;
    private static PlatformChecks checks;
    private static final FaultReport report = new FaultReport();
    private static final List<String> uploaded = Collections.synchronizedList(new ArrayList<>());
    private static final Map<String, LongAdder> viewsStarted = new ConcurrentHashMap<>();

    @BeforeAll
    static void bringUpThePlatform() throws Exception {
        Files.deleteIfExists(trace()); // this run's trace only
        platform = ReelPlatform.start(runDir, "--brokers", "3", "--catalogs", "2", "--transcoders", "2", "--edges", "2",
                "--webhooks-allowed-networks", "127.0.0.1/32"); // the test's webhook receiver runs on this machine
        front = new FrontDoor(platform.frontDoor());
        videos = new Videos(work, platform.frontDoor(), platform.apiKey());
        checks = new PlatformChecks(front, platform.clientEnv());
    }

    @AfterAll
    static void stopThePlatform() throws Exception {
        report.write(artifacts().resolve("fault-report.md"));
        if (platform != null) {
            try {
                if (!Files.exists(trace())) { // the last check kills the launcher and keeps the trace first
                    keepTheTrace();
                }
            } finally {
                platform.close();
                keepTheLogs();
            }
        }
    }

    /** Every process's log, kept beside the report: the run folder is a temporary one, gone after the suite. */
    private static void keepTheLogs() throws Exception {
        Path kept = Files.createDirectories(artifacts().resolve("platform-logs"));
        try (Stream<Path> logs = Files.list(runDir.resolve("logs"))) {
            for (Path log : logs.toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The run's segment requests, replayed through both cache policies by edge-server's TraceReplay. */
    private static void keepTheTrace() throws Exception {
        ViewerExperience.writeTrace(EventHistory.read(platform.bootstrapServers(), List.of(Topics.PLAYBACK)), trace());
    }

    private static Path trace() throws Exception {
        return artifacts().resolve("segment-served.jsonl");
    }

    @Test
    @Order(0)
    void reelUpPrintsWhereEverythingIsAndTheReelCommandReportsStatusAndManagesKeysWhileItRuns() throws Exception {
        String kafka = platform.bootstrapServers();
        assertThat(platform.output()).contains("Reel is up", kafka, platform.clientEnv().getProperty("REEL_S3_ENDPOINT"),
                "(created " + Topics.all().size() + ")", "Library   " + platform.frontDoor() + "/",
                "API key   " + platform.apiKey());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .containsAll(Topics.all().stream().map(t -> t.name()).toList());
        }
        assertThat(platform.children()).as("3 brokers, S3, 2 ingests, 2 transcoders, 2 catalogs, analytics, 2 edges, webhooks "
                + "and HAProxy").hasSize(15);
        // the front door routes the library to the edges and the catalog API to catalog-streams
        assertThat(front.get("/").statusCode()).isEqualTo(200);
        assertThat(new String(front.get("/api/catalog/videos").body(), StandardCharsets.UTF_8)).contains("\"videos\"");
        String run = runDir.toString();
        assertThat(ReelCommand.exitCode("status", "--run-dir", run)).as("reel status with every process ready").isZero();

        // keys are added and revoked while everything runs, and apply without a restart
        String listing = "/api/catalog/videos?visibility=any";
        assertThat(front.get(listing).statusCode()).as("own videos need a key").isEqualTo(401);
        assertThat(front.send("GET", listing, platform.apiKey(), null).statusCode()).as("the local key").isEqualTo(200);
        String added = ReelCommand.output("keys", "add", "--owner", "bob", "--run-dir", run);
        String bobKey = added.lines().filter(l -> l.startsWith("key ")).findFirst().orElseThrow().split(" ")[1];
        Await.until("bob's new key works at the front door", Duration.ofSeconds(30),
                () -> front.send("GET", listing, bobKey, null).statusCode() == 200, List.of());
        assertThat(ReelCommand.output("keys", "list", "--run-dir", run)).contains(ApiKeyRecord.hash(bobKey), "bob", "local")
                .doesNotContain(bobKey + " ");
        ReelCommand.output("keys", "revoke", "--key", bobKey, "--run-dir", run);
        Await.until("bob's revoked key refused", Duration.ofSeconds(30),
                () -> front.send("GET", listing, bobKey, null).statusCode() == 401, List.of());
    }

    @Test
    @Order(1)
    void cliUploadBecomesReadyPlaysInChromiumCountsTheViewAndLeavesAValidHistory() throws Exception {
        String output = Videos.uploadWithCli(platform.frontDoor(), platform.apiKey(), videos.source("e2e", 8, 480),
                "End to end", work.resolve("upload-state"));
        Matcher id = VIDEO_LINE.matcher(output);
        assertThat(id.find()).as(output).isTrue();
        String video = id.group(1);
        uploaded.add(video);
        assertThat(output).contains("state  READY");
        assertThat(checks.state(video)).isEqualTo("READY");
        assertThat(checks.views(video)).isZero();
        // reel tail, pointed at the platform by the run folder's reel.env: the topic's events from the oldest
        assertThat(ReelCommand.firstLine("tail", "uploads", "--from-beginning", "--run-dir", runDir.toString()))
                .matches("\\d+@\\d+ \\S+ " + Pattern.quote(video) + " \\{.*\"type\":\"reel\\.video\\.uploaded\".*");

        JsonNode played = chromiumPlays(platform.frontDoor() + "/watch/" + video, "e2e-watch-page.png");
        assertThat(played.path("error").isMissingNode()).as(played.toString()).isTrue();
        assertThat(played.get("currentTime").asDouble()).as(played.toString()).isGreaterThan(3.0);
        assertThat(played.get("fatalError").isNull()).as(played.toString()).isTrue();
        assertThat(played.get("title").asText()).isEqualTo("End to end");
        Await.until("the view counted", Duration.ofMinutes(1), () -> checks.views(video) >= 1, List.of());
        viewsStarted.computeIfAbsent(video, v -> new LongAdder()).add(checks.views(video)); // the browser's, from here on exact

        // the audio-only variant, for links too poor for pictures, plays on its own (hls.js drops it from a master with
        // video variants, so the page plays the variant's playlist: what a player that switched to it plays)
        JsonNode audioOnly = chromiumPlaysAudioOnly(video);
        assertThat(audioOnly.path("error").isMissingNode()).as(audioOnly.toString()).isTrue();
        assertThat(audioOnly.get("variantLine").asText()).as("listed last, the audio alone, playing the audio group")
                .contains("CODECS=\"mp4a.40.2\"", "AUDIO=\"audio\"").doesNotContain("RESOLUTION");
        assertThat(audioOnly.get("variant").asText()).endsWith("/audio/index.m3u8");
        assertThat(audioOnly.get("fatalError").isNull()).as(audioOnly.toString()).isTrue();
        assertThat(audioOnly.get("currentTime").asDouble()).as(audioOnly.toString()).isGreaterThan(3.0);
        assertThat(audioOnly.get("audioDecodedBytes").asLong()).as("audio decoded: " + audioOnly).isPositive();
        assertThat(audioOnly.get("videoDecodedBytes").asLong()).as("no pictures fetched: " + audioOnly).isZero();
        assertThat(audioOnly.get("videoWidth").asInt()).as("no picture: " + audioOnly).isZero();
        assertThat(audioOnly.get("levels").size()).as("one level, the variant: " + audioOnly).isOne();
        long viewsBeforeAudioOnly = viewsStarted.get(video).sum();
        // the page read the master once: one view
        Await.until("the audio-only page's view counted", Duration.ofMinutes(1),
                () -> checks.views(video) == viewsBeforeAudioOnly + 1, List.of());
        viewsStarted.get(video).add(1);

        assertWholeHistoryInOrderAndValid(video);
    }

    /** audio-only.mjs: the master's audio-only variant, played alone by hls.js in Debian's chromium. */
    private static JsonNode chromiumPlaysAudioOnly(String video) throws Exception {
        Path screenshot = artifacts().resolve("e2e-audio-only.png").toAbsolutePath();
        Process node = new ProcessBuilder("node", "audio-only.mjs", platform.frontDoor(), video, screenshot.toString(), "3")
                .directory(browserDir().toFile()).redirectError(work.resolve("browser-audio-only.log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        return FrontDoor.JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
    }

    @Test
    @Order(2)
    void aLongUploadPlaysInChromiumWhileItIsStillTranscoding() throws Exception {
        // an original no browser plays as it is (4:4:4): nothing is passed through, the encoded ladder must play early
        String video = videos.upload(videos.notPlayableAsIs("long-720p-444", 32, 720), "Playable early");
        uploaded.add(video);
        // PLAYABLE before READY: the renditions are announced growing once the encode keeps ahead of a viewer (the
        // lowest rung may already be whole when first seen: it is encoded ahead; the top one grows longest, and 32 s
        // keep it growing until the edge has served its playlist: at 20 s it could be whole by then)
        JsonNode[] playable = new JsonNode[1];
        Await.until(video + " PLAYABLE with a growing rendition, or READY", READY_TIMEOUT, () -> {
            playable[0] = front.video(video).orElse(null);
            return playable[0] != null && (growingPicture(playable[0]) != null
                    || "READY".equals(playable[0].get("state").asText()));
        }, List.of());
        assertThat(playable[0].get("state").asText()).as("seen growing before READY: %s", playable[0])
                .isEqualTo("PLAYABLE");
        JsonNode growing = growingPicture(playable[0]);
        // the edges learn of it from reel.catalog, a moment after the catalog's own answer (its transaction commits)
        String[] playlist = {""};
        Await.until("the edge to serve the growing playlist of " + video, Duration.ofSeconds(30), () -> {
            playlist[0] = new String(front.get("/v/" + video + "/" + growing.get("name").asText() + "/index.m3u8").body(),
                    StandardCharsets.UTF_8);
            return playlist[0].startsWith("#EXTM3U");
        }, List.of());
        assertThat(playlist[0]).contains("#EXT-X-PLAYLIST-TYPE:EVENT");

        JsonNode played = chromiumPlays(platform.frontDoor() + "/watch/" + video, "e2e-watch-while-transcoding.png");
        assertThat(played.path("error").isMissingNode()).as(played.toString()).isTrue();
        assertThat(played.get("currentTime").asDouble()).as(played.toString()).isGreaterThan(3.0);
        assertThat(played.get("fatalError").isNull()).as(played.toString()).isTrue();

        checks.awaitReady(List.of(video), READY_TIMEOUT);
        String finished = new String(front.get("/v/" + video + "/" + growing.get("name").asText() + "/index.m3u8").body(),
                StandardCharsets.UTF_8);
        assertThat(finished).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST");
        Await.until("the view counted", Duration.ofMinutes(1), () -> checks.views(video) >= 1, List.of());
        viewsStarted.computeIfAbsent(video, v -> new LongAdder()).add(checks.views(video));
    }

    @Test
    @Order(3)
    void theReadmesWebhookReceiverGetsReadyAndEveryEventThroughA30sOutageAndRefusesAForgery() throws Exception {
        int port = Ports.free();
        HttpResponse<String> created = front.send("POST", "/api/webhooks", platform.apiKey(),
                "{\"url\":\"http://127.0.0.1:" + port + "/\",\"events\":[\"*\"],\"description\":\"e2e\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode hook = FrontDoor.JSON.readTree(created.body());
        String deliveriesPath = "/api/webhooks/" + hook.get("id").asText() + "/deliveries?limit=200";
        try (WebhookReceiver receiver = WebhookReceiver.fromReadme(Path.of("../../webhooks/README.md"), work.resolve("receiver"),
                port, hook.get("secret").asText())) {
            receiver.start();
            assertThat(receiver.post(forgery(), Map.of("webhook-id", "forged-1", "webhook-timestamp",
                    Long.toString(Instant.now().getEpochSecond()), "webhook-signature",
                    "v1," + java.util.Base64.getEncoder().encodeToString(new byte[32])))).as("a forged signature").isEqualTo(401);
            assertThat(receiver.post(forgery(), Map.of())).as("no signature").isEqualTo(401);

            String first;
            try (Viewers viewers = Viewers.start(front, 2, List.of(uploaded.getFirst()), viewsStarted)) {
                first = videos.upload(videos.source("short-360p", 6, 360), "Webhook A");
                uploaded.add(first);
                Await.until("reel.transcode.completed (ready) of " + first + " at the receiver", READY_TIMEOUT,
                        () -> receiver.received().stream().anyMatch(e -> first.equals(e.get("video").asText())
                                && "reel.transcode.completed".equals(e.get("type").asText())),
                        List.of());
            }
            assertThat(receiver.received()).as("the forgeries were refused")
                    .noneMatch(e -> e.get("id").asText().startsWith("forged"));

            receiver.stop();
            long downAt = System.nanoTime();
            String second = videos.upload(videos.source("short-360p", 6, 360), "Webhook B");
            uploaded.add(second);
            checks.awaitReady(List.of(second), READY_TIMEOUT);
            Thread.sleep(Math.max(0, Duration.ofSeconds(30).minusNanos(System.nanoTime() - downAt).toMillis())); // down 30 s
            JsonNode whileDown = FrontDoor.JSON.readTree(front.send("GET", deliveriesPath, platform.apiKey(), null).body());
            assertThat(whileDown.get("deliveries").findValues("outcome")).extracting(JsonNode::asText)
                    .as("attempts failed while the receiver was down").contains("RETRYING");
            receiver.start();

            EventHistory history = EventHistory.read(platform.bootstrapServers(),
                    List.of(Topics.UPLOADS, Topics.TRANSCODE, Topics.METADATA));
            List<String> expected = new ArrayList<>();
            for (String video : List.of(first, second)) {
                for (String topic : List.of(Topics.UPLOADS, Topics.TRANSCODE, Topics.METADATA)) {
                    history.of(topic, video).forEach(e -> expected.add(e.json().get("id").asText()));
                }
            }
            Await.until("every event of both videos at the receiver after the outage", Duration.ofMinutes(3),
                    () -> expected.stream().allMatch(receiver::hasReceived), List.of());
            EventHistory all = EventHistory.read(platform.bootstrapServers(),
                    List.of(Topics.UPLOADS, Topics.TRANSCODE, Topics.METADATA));
            List<String> written = all.all().stream().map(e -> e.json().get("id").asText()).toList();
            assertThat(receiver.received()).as("only events Reel wrote (of this owner's videos), none forged")
                    .allMatch(e -> written.contains(e.get("id").asText()));
            report.webhookLatency(latencies(receiver.received(), first));

            EventHistory webhookTopics = EventHistory.read(platform.bootstrapServers(),
                    List.of(Topics.WEBHOOKS, Topics.WEBHOOK_DELIVERIES));
            EventHistory.Schemas schemas = new EventHistory.Schemas();
            assertThat(webhookTopics.all()).isNotEmpty();
            for (EventHistory.Event event : webhookTopics.all()) {
                assertThat(schemas.violations(event)).as("%s %s", event.topic(), event.json()).isEmpty();
            }
        }
        assertThat(front.send("DELETE", "/api/webhooks/" + hook.get("id").asText(), platform.apiKey(), null).statusCode())
                .isEqualTo(200);
    }

    @Test
    @Order(4)
    void dashJsPlaysTheMpdOfTheSameSegmentsAndFfprobeReadsIt() throws Exception {
        String video = uploaded.getFirst(); // READY, 8 s, with audio
        long viewsBefore = checks.views(video);
        HttpResponse<byte[]> mpd = front.get("/v/" + video + "/manifest.mpd");
        assertThat(mpd.statusCode()).isEqualTo(200);
        assertThat(mpd.headers().firstValue("Content-Type")).hasValue("application/dash+xml");
        assertThat(new String(mpd.body(), StandardCharsets.UTF_8)).contains("$RepresentationID$/seg-$Number%05d$.m4s");

        JsonNode played = chromiumPlays(platform.frontDoor() + "/dash/" + video, "e2e-dash-page.png");
        assertThat(played.path("error").isMissingNode()).as(played.toString()).isTrue();
        assertThat(played.get("fatalError").isNull()).as(played.toString()).isTrue();
        assertThat(played.get("currentTime").asDouble()).as(played.toString()).isGreaterThan(3.0);
        assertThat(played.get("representations").size()).as(played.toString()).isPositive();

        JsonNode probe = ffprobe(platform.frontDoor() + "/v/" + video + "/manifest.mpd");
        assertThat(probe.get("streams").findValuesAsText("codec_type")).contains("video", "audio");
        assertThat(probe.get("format").get("duration").asDouble()).isCloseTo(8.0, org.assertj.core.data.Offset.offset(0.3));
        // every manifest GET is a view, like a master playlist's: this test's, dash.js's session and ffprobe's
        Await.until("the three views counted", Duration.ofMinutes(1), () -> checks.views(video) == viewsBefore + 3, List.of());
        viewsStarted.computeIfAbsent(video, v -> new LongAdder()).add(3);
    }

    @Test
    @Order(5)
    void downloadsAreAsLongAsTheSourceTheMp4PlaysBeforeItArrivesAndTheOwnerCanTurnThemOff() throws Exception {
        String video = uploaded.getFirst(); // READY, 8 s at 25 fps, with audio
        JsonNode record = front.video(video).orElseThrow();
        double source = record.get("source").get("durationSeconds").asDouble();
        double frame = 1.0 / firstPicture(record).get("frameRate").asDouble(); // not the audio rendition's 0
        String rung = record.get("renditions").get(record.get("renditions").size() - 1).get("name").asText();
        String mp4Path = "/v/" + video + "/download/" + rung + ".mp4";

        JsonNode mp4 = ffprobe(platform.frontDoor() + mp4Path);
        assertThat(mp4.get("streams").findValuesAsText("codec_type")).containsExactlyInAnyOrder("video", "audio");
        assertThat(mp4.get("format").get("duration").asDouble()).as("MP4 within a frame of the source")
                .isCloseTo(source, org.assertj.core.data.Offset.offset(frame));
        JsonNode m4a = ffprobe(platform.frontDoor() + "/v/" + video + "/download/audio.m4a");
        assertThat(m4a.get("streams").findValuesAsText("codec_type")).containsExactly("audio");
        assertThat(m4a.get("format").get("duration").asDouble()).as("M4A within a frame of the source")
                .isCloseTo(source, org.assertj.core.data.Offset.offset(frame));

        long size = front.get(mp4Path).body().length;
        JsonNode played = chromiumPlaysDownload(mp4Path, size / 8); // the whole file takes ~8 s to arrive
        assertThat(played.path("error").isNull() || played.path("error").isMissingNode()).as(played.toString()).isTrue();
        assertThat(played.get("currentTime").asDouble()).as(played.toString()).isGreaterThan(2.0);
        assertThat(played.get("bufferedAtPlaying").asDouble()).as("playing began before the file had arrived: " + played)
                .isLessThan(played.get("durationAtPlaying").asDouble() - 1.0);

        String key = platform.apiKey();
        assertThat(front.send("PATCH", "/api/videos/" + video, key, "{\"downloads\": false}").statusCode()).isEqualTo(200);
        Await.until("downloads refused once turned off", Duration.ofMinutes(1),
                () -> front.get(mp4Path).statusCode() == 403, List.of());
        assertThat(front.send("PATCH", "/api/videos/" + video, key, "{\"downloads\": true}").statusCode()).isEqualTo(200);
        Await.until("downloads back on", Duration.ofMinutes(1), () -> front.get(mp4Path).statusCode() == 200, List.of());
    }

    @Test
    @Order(6)
    void theUploadPageResumesAfterAReloadMidUploadAndTheWatchPagePlaysTheVideo() throws Exception {
        Path file = videos.source("upload-page-720p", 12, 720);
        long size = Files.size(file);
        Path npmDir = Path.of(System.getProperty("reel.browser.npm.dir", "target/npm/browser"));
        Process node = new ProcessBuilder("node", "upload-page.mjs", platform.frontDoor(), platform.apiKey(), file.toString(),
                Long.toString(Math.max(200_000, size / 10)),
                artifacts().resolve("e2e-upload-page.png").toAbsolutePath().toString())
                .directory(npmDir.toFile()).redirectError(work.resolve("browser-upload.log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(8, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        JsonNode run = FrontDoor.JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
        assertThat(run.path("error").isMissingNode()).as(run.toString()).isTrue();
        assertThat(run.get("apiKeyKept").asBoolean()).as(run.toString()).isTrue();
        assertThat(run.get("resumedFromOffset").asLong()).as("resumed where the server had it, not from zero: " + run)
                .isPositive().isLessThan(size);
        assertThat(run.get("currentTime").asDouble()).as(run.toString()).isGreaterThan(3.0);
        assertThat(run.get("fatalError").isNull()).as(run.toString()).isTrue();

        String video = run.get("watchUrl").asText().replaceAll(".*/watch/", "").replaceAll("[?#].*", "");
        uploaded.add(video);
        JsonNode record = front.video(video).orElseThrow();
        assertThat(record.get("title").asText()).isEqualTo("Uploaded from the browser");
        assertThat(record.get("source").get("sizeBytes").asLong()).as("the whole file, once").isEqualTo(size);
        checks.awaitReady(List.of(video), READY_TIMEOUT);
        Await.until("the view counted", Duration.ofMinutes(1), () -> checks.views(video) >= 1, List.of());
        viewsStarted.computeIfAbsent(video, v -> new LongAdder()).add(checks.views(video));
    }

    @Test
    @Order(7)
    void aCaptionTrackAddedToAReadyVideoShowsInChromiumAtItsTimeWithoutARetranscodeAndTheSeekBarShowsTheStoryboard()
            throws Exception {
        String video = uploaded.getFirst(); // READY, 8 s
        String key = platform.apiKey();
        JsonNode before = front.video(video).orElseThrow();
        long viewsBefore = checks.views(video);
        String cue = "Reel caption check";
        String srt = "1\r\n00:00:02,000 --> 00:00:04,000\r\n" + cue + "\r\n\r\n2\r\n00:00:06,000 --> 00:00:07,000\r\nlater\r\n";
        String path = "/api/videos/" + video + "/captions/";
        int transcodeEventsBefore = EventHistory.read(platform.bootstrapServers(), List.of(Topics.TRANSCODE))
                .of(Topics.TRANSCODE, video).size();

        HttpResponse<String> bad = front.sendText("PUT", path + "en", key, "WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nx\n");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("line 3: the cue ends at 00:00:01.000, not after it starts at 00:00:02.000");
        assertThat(front.sendText("PUT", path + "english", key, srt).statusCode()).isEqualTo(400);
        HttpResponse<String> put = front.sendText("PUT", path + "en?label=English%20(CC)&kind=captions", key, srt);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(FrontDoor.JSON.readTree(put.body()).get("sourceFormat").asText()).isEqualTo("srt");

        Await.until("the track in the catalog", Duration.ofMinutes(1),
                () -> front.video(video).orElseThrow().get("captions").size() == 1, List.of());
        JsonNode after = front.video(video).orElseThrow();
        assertThat(after.get("state").asText()).isEqualTo("READY");
        assertThat(after.get("renditions")).as("no re-transcode: the same ladder").isEqualTo(before.get("renditions"));
        assertThat(after.get("transitions")).as("no re-transcode: no new state").isEqualTo(before.get("transitions"));
        // each edge follows reel.catalog on its own: the one a URL hashes to may be a moment behind the catalog's answer
        String mediaTag = "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English (CC)\",LANGUAGE=\"en\"";
        Await.until("the edge lists the track", Duration.ofSeconds(30), () -> master(video).contains(mediaTag), List.of());
        assertThat(master(video).lines().filter(line -> line.startsWith("#EXT-X-STREAM-INF:")))
                .isNotEmpty().allMatch(line -> line.endsWith("SUBTITLES=\"subs\""));
        Await.until("the edge serves the track", Duration.ofSeconds(30),
                () -> front.get("/v/" + video + "/captions/en.vtt").statusCode() == 200, List.of());
        HttpResponse<byte[]> vtt = front.get("/v/" + video + "/captions/en.vtt");
        assertThat(vtt.headers().firstValue("Content-Type").orElse("")).startsWith("text/vtt");
        assertThat(new String(vtt.body(), StandardCharsets.UTF_8)).startsWith("WEBVTT\n").contains(cue);
        // DASH lists the track too: dash.js reads the MPD's text AdaptationSet (the same WebVTT file) as a text track
        Await.until("the MPD lists the track", Duration.ofSeconds(30), () -> new String(
                front.get("/v/" + video + "/manifest.mpd").body(), StandardCharsets.UTF_8).contains("mimeType=\"text/vtt\""),
                List.of());
        JsonNode dash = chromiumPlays(platform.frontDoor() + "/dash/" + video, "e2e-dash-captions.png");
        assertThat(dash.path("error").isMissingNode()).as(dash.toString()).isTrue();
        assertThat(dash.get("fatalError").isNull()).as(dash.toString()).isTrue();
        assertThat(dash.get("currentTime").asDouble()).as(dash.toString()).isGreaterThan(3.0);
        assertThat(dash.get("textTracks").findValuesAsText("lang")).as(dash.toString()).containsExactly("en");
        assertThat(dash.get("textTracks").findValuesAsText("label")).as(dash.toString()).containsExactly("English (CC)");
        assertThat(dash.get("textTracks").get(0).get("roles").toString()).as(dash.toString()).contains("caption");

        Path npmDir = Path.of(System.getProperty("reel.browser.npm.dir", "target/npm/browser"));
        // the storyboard the transcoder made while encoding: listed in the catalog, served by the edges
        assertThat(after.get("storyboardKey").asText()).isEqualTo(ObjectKeys.storyboard(video));
        HttpResponse<byte[]> storyboard = front.get("/v/" + video + "/storyboard.vtt");
        assertThat(storyboard.statusCode()).isEqualTo(200);
        String cues = new String(storyboard.body(), StandardCharsets.UTF_8);
        assertThat(cues).startsWith("WEBVTT\n").contains("storyboard.jpg#xywh=0,0,160,90");
        HttpResponse<byte[]> sprite = front.get("/v/" + video + "/storyboard.jpg");
        assertThat(sprite.statusCode()).isEqualTo(200);
        assertThat(sprite.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/jpeg");
        double interval = 2; // an 8 s video: a tile every 2 s

        Process node = new ProcessBuilder("node", "captions-play.mjs", platform.frontDoor() + "/watch/" + video, "en", cue, "5",
                artifacts().resolve("e2e-captions.png").toAbsolutePath().toString(), "0.6")
                .directory(npmDir.toFile()).redirectError(work.resolve("browser-captions.log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        JsonNode shown = FrontDoor.JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
        assertThat(shown.path("error").isMissingNode()).as(shown.toString()).isTrue();
        assertThat(shown.get("fatalError").isNull()).as(shown.toString()).isTrue();
        assertThat(shown.get("menu").findValuesAsText("label")).as(shown.toString()).containsExactly("Off", "English (CC)");
        // the cue is on screen from 2 s to 4 s of the video's clock (50 ms sampling, and the player's timeline may start a
        // few hundredths of a second off the source's)
        assertThat(shown.get("firstShownAt").asDouble()).as(shown.toString()).isBetween(1.85, 2.3);
        assertThat(shown.get("lastShownAt").asDouble()).as(shown.toString()).isBetween(3.7, 4.15);
        // hovering the seek bar at 60% of its width shows the tile of the time under the pointer (within one tile)
        JsonNode tile = shown.get("storyboard");
        assertThat(tile.get("cues").asInt()).as(tile.toString()).isEqualTo(cues.split("-->").length - 1);
        assertThat(tile.get("visible").asBoolean()).as(tile.toString()).isTrue();
        assertThat(tile.get("image").asText()).as(tile.toString()).contains("/v/" + video + "/storyboard.jpg");
        double pointer = tile.get("pointerTime").asDouble();
        assertThat(pointer).as(tile.toString()).isBetween(4.0, 6.0);
        assertThat(tile.at("/shown/start").asDouble()).as(tile.toString()).isCloseTo(pointer, within(interval));
        assertThat(tile.at("/shown/start").asDouble()).as(tile.toString()).isLessThanOrEqualTo(pointer);
        assertThat(tile.at("/shown/end").asDouble()).as(tile.toString()).isGreaterThan(pointer);
        assertThat(tile.get("previewCentre").asDouble()).as("the tile at the pointer").isCloseTo(tile.get("pointerX").asDouble(),
                within(100.0));

        assertThat(front.sendText("DELETE", path + "en", key, null).statusCode()).isEqualTo(200);
        Await.until("the track gone from the catalog", Duration.ofMinutes(1),
                () -> front.video(video).orElseThrow().get("captions").isEmpty(), List.of());
        Await.until("the edge drops the track", Duration.ofSeconds(30), () -> !master(video).contains("SUBTITLES"), List.of());
        Await.until("the edge no longer serves the track", Duration.ofSeconds(30),
                () -> front.get("/v/" + video + "/captions/en.vtt").statusCode() == 404, List.of());
        assertThat(front.sendText("DELETE", path + "en", key, null).statusCode()).isEqualTo(404);
        EventHistory history = EventHistory.read(platform.bootstrapServers(), List.of(Topics.TRANSCODE, Topics.METADATA));
        assertThat(history.of(Topics.TRANSCODE, video)).as("no re-transcode").hasSize(transcodeEventsBefore);
        List<EventHistory.Event> tracks = history.of(Topics.METADATA, video);
        assertThat(tracks).extracting(EventHistory.Event::type).containsSubsequence("reel.captions.set", "reel.captions.removed");
        EventHistory.Schemas schemas = new EventHistory.Schemas();
        tracks.forEach(event -> assertThat(schemas.violations(event)).as(event.json().toString()).isEmpty());
        // at least two master playlists fetched here (each a view) and the browser's session
        Await.until("the views counted", Duration.ofMinutes(1), () -> checks.views(video) >= viewsBefore + 3, List.of());
        viewsStarted.computeIfAbsent(video, v -> new LongAdder()).add(checks.views(video) - viewsBefore);
    }

    private static String master(String video) throws Exception {
        return new String(front.get("/v/" + video + "/master.m3u8").body(), StandardCharsets.UTF_8);
    }

    /** download-play.mjs: a plain {@code <video src>} on a throttled link, in Debian's chromium. */
    private static JsonNode chromiumPlaysDownload(String downloadPath, long bytesPerSecond) throws Exception {
        Path npmDir = Path.of(System.getProperty("reel.browser.npm.dir", "target/npm/browser"));
        Path screenshot = artifacts().resolve("e2e-download-video.png").toAbsolutePath();
        Process node = new ProcessBuilder("node", "download-play.mjs", platform.frontDoor() + "/", downloadPath,
                Long.toString(bytesPerSecond), screenshot.toString()).directory(npmDir.toFile())
                .redirectError(work.resolve("browser-download.log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        return FrontDoor.JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
    }

    /** ffprobe's JSON of a URL: format and streams. */
    static JsonNode ffprobe(String url) throws Exception {
        Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                url).redirectError(work.resolve("ffprobe.log").toFile()).start();
        String output = new String(ffprobe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffprobe.waitFor(2, TimeUnit.MINUTES)).as("ffprobe finished").isTrue();
        assertThat(ffprobe.exitValue()).as("ffprobe " + url + ": " + Files.readString(work.resolve("ffprobe.log"))).isZero();
        return FrontDoor.JSON.readTree(output);
    }

    /** A delivery body the receiver must refuse: signed with a secret it does not have, or not at all. */
    private static byte[] forgery() {
        return ("{\"id\":\"forged-1\",\"type\":\"reel.transcode.completed\",\"subject\":\"x\",\"time\":\""
                + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Event time to arrival at the receiver, in ms, of the events of {@code video} (delivered while it was up). */
    private static List<Long> latencies(List<JsonNode> received, String video) {
        return received.stream().filter(e -> video.equals(e.get("video").asText()))
                .map(e -> Duration.between(Instant.parse(e.get("time").asText()), Instant.parse(e.get("receivedAt").asText()))
                        .toMillis())
                .sorted().toList();
    }

    /** Every event of the video's life, read back from the topics: in order, and each valid against its schema. */
    private static void assertWholeHistoryInOrderAndValid(String video) throws Exception {
        EventHistory history = EventHistory.read(platform.bootstrapServers(),
                List.of(Topics.UPLOADS, Topics.TRANSCODE, Topics.METADATA, Topics.CATALOG, Topics.PLAYBACK));
        EventHistory.Schemas schemas = new EventHistory.Schemas();
        for (EventHistory.Event event : history.all()) {
            assertThat(schemas.violations(event))
                    .as("%s-%d@%d %s", event.topic(), event.partition(), event.offset(), event.json())
                    .isEmpty();
        }

        List<EventHistory.Event> uploads = history.of(Topics.UPLOADS, video);
        assertThat(uploads).extracting(EventHistory.Event::type).containsExactly("reel.video.uploaded");

        List<String> transcode = history.of(Topics.TRANSCODE, video).stream().map(EventHistory.Event::type).toList();
        assertThat(transcode.getFirst()).isEqualTo("reel.transcode.started");
        assertThat(transcode.getLast()).isEqualTo("reel.transcode.completed");
        assertThat(transcode.indexOf("reel.rendition.ready")).as(transcode.toString()).isPositive()
                .isLessThan(transcode.lastIndexOf("reel.transcode.completed"));
        assertThat(transcode).doesNotContain("reel.transcode.failed");
        List<Double> progress = history.of(Topics.TRANSCODE, video).stream()
                .filter(e -> "reel.transcode.progress".equals(e.type())).map(e -> e.data().get("percent").asDouble()).toList();
        assertThat(progress).as("progress only goes up").isSorted();

        List<String> states = history.of(Topics.CATALOG, video).stream().map(e -> e.json().get("state").asText()).distinct()
                .toList();
        assertThat(states).as("the catalog's states in order").containsSubsequence("UPLOADED", "PLAYABLE", "READY")
                .endsWith("READY");
        List<Long> versions = history.of(Topics.CATALOG, video).stream().map(e -> e.json().get("version").asLong()).toList();
        assertThat(versions).as("catalog versions rise").isSorted().doesNotHaveDuplicates();

        List<EventHistory.Event> playback = history.of(Topics.PLAYBACK, video);
        assertThat(playback).extracting(EventHistory.Event::type).contains("reel.playback.started", "reel.segment.served");

        // Across topics, by event time: uploaded, then transcoded, then played.
        Instant uploadedAt = time(uploads.getFirst());
        Instant completedAt = time(history.of(Topics.TRANSCODE, video).getLast());
        Instant firstPlayback = playback.stream().map(PlatformE2EIT::time).min(Instant::compareTo).orElseThrow();
        assertThat(time(history.of(Topics.TRANSCODE, video).getFirst())).isAfterOrEqualTo(uploadedAt);
        assertThat(completedAt).isAfterOrEqualTo(uploadedAt);
        assertThat(firstPlayback).isAfterOrEqualTo(time(history.of(Topics.TRANSCODE, video).stream()
                .filter(e -> "reel.rendition.ready".equals(e.type())).findFirst().orElseThrow()));
    }

    @Test
    @Order(8)
    void theDashboardShowsWhatThrottledFailingAndAbandonedSessionsMeasuredThemselves() throws Exception {
        ViewerExperience qoe = new ViewerExperience(front, platform.clientEnv(), npmDir(), artifacts(), work);
        String watched = videos.upload(videos.source("qoe-360p", 16, 360), "Viewer experience");
        String broken = videos.upload(videos.source("broken-360p", 8, 360), "Broken on purpose");
        checks.awaitReady(List.of(watched, broken), READY_TIMEOUT);
        qoe.breakSecondSegment(broken); // neither video is in `uploaded`: the fault checks do not expect them whole

        // pages on a throttled network stall, and measure their startup and rebuffering themselves
        List<JsonNode> pages = qoe.sessions("sessions", platform.frontDoor() + "/watch/" + watched,
                Integer.toString(ViewerExperience.THROTTLED_PAGES), Integer.toString(ViewerExperience.THROTTLED_SECONDS),
                Integer.toString(ViewerExperience.THROTTLED_KBPS));
        assertThat(pages).hasSize(ViewerExperience.THROTTLED_PAGES)
                .allSatisfy(p -> assertThat(p.get("startupMillis").isNull()).as(p.toString()).isFalse());
        long stalls = pages.stream().mapToLong(p -> p.get("stalls").asLong()).sum();
        long stallMillis = pages.stream().mapToLong(p -> p.get("stallMillis").asLong()).sum();
        long watchMillis = pages.stream().mapToLong(p -> p.get("watchMillis").asLong()).sum();
        assertThat(stalls).as("throttled to %d kbit/s, playback stalls: %s", ViewerExperience.THROTTLED_KBPS, pages)
                .isPositive();
        double pageRebuffer = 100.0 * stallMillis / (watchMillis + stallMillis);
        double pageStartup = ViewerExperience.median(pages.stream().map(p -> p.get("startupMillis").asDouble()).toList());
        // a tab closed before its first frame, and a video whose second segment answers 404
        JsonNode left = qoe.sessions("exit", platform.frontDoor() + "/watch/" + watched).getFirst();
        assertThat(left.get("startupMillis").isNull()).as(left.toString()).isTrue();
        JsonNode failed = qoe.sessions("fail", platform.frontDoor() + "/watch/" + broken, "150").getFirst();
        assertThat(failed.get("fatal").asText()).as(failed.toString()).contains("networkError");

        // the pages' media requests carried the CMCD keys player.js sends, which join them to the pages' sessions
        List<String> sessions = pages.stream().map(p -> p.get("sessionId").asText()).toList();
        List<JsonNode> tagged = ViewerExperience.servedInSessions(
                EventHistory.read(platform.bootstrapServers(), List.of(Topics.PLAYBACK)), watched, sessions);
        assertThat(tagged.stream().map(d -> d.get("sessionId").asText()).distinct()).as("sessions seen by the edges")
                .containsExactlyInAnyOrderElementsOf(sessions);
        List<JsonNode> media = tagged.stream().filter(d -> d.get("file").asText().endsWith(".m4s")).toList();
        assertThat(media).as("media segments").isNotEmpty().allSatisfy(d -> {
            assertThat(d.path("objectType").asText()).isIn("v", "a", "av");
            assertThat(d.path("bitrateKbps").isNumber()).as(d.toString()).isTrue();
        });
        assertThat(media).as("buffer and throughput measured, and the first ones urgent")
                .anySatisfy(d -> assertThat(d.path("bufferMillis").isNumber()).isTrue())
                .anySatisfy(d -> assertThat(d.path("measuredThroughputKbps").isNumber()).isTrue())
                .anySatisfy(d -> assertThat(d.path("startup").asBoolean()).isTrue());

        // analytics-streams has every last beacon: the same sums as the pages'
        JsonNode totals = qoe.awaitTotals(watched, String.format(Locale.ROOT, "%d plays, %d startups, 1 exit, the pages' "
                + "stall time %d ms and watch time %d ms (pages: %s, left: %s)", ViewerExperience.THROTTLED_PAGES + 1,
                ViewerExperience.THROTTLED_PAGES, stallMillis, watchMillis, pages, left),
                t -> t.get("plays").asLong() == ViewerExperience.THROTTLED_PAGES + 1
                        && t.get("startups").asLong() == ViewerExperience.THROTTLED_PAGES
                        && t.get("exitsBeforeStart").asLong() == 1 && t.get("stallMillis").asLong() == stallMillis
                        && t.get("watchMillis").asLong() == watchMillis);
        assertThat(totals.get("playbackFailures").asLong()).isZero();
        JsonNode brokenTotals = qoe.awaitTotals(broken, "one failed play", t -> t.get("playbackFailures").asLong() == 1);
        assertThat(brokenTotals.get("plays").asLong()).isEqualTo(1);
        assertThat(brokenTotals.get("playbackFailurePercent").asDouble()).isEqualTo(100.0);

        // ... and the dashboard shows them: rebuffering and startup within 5% of what the pages measured
        JsonNode dashboard = qoe.dashboardTiles(watched, ViewerExperience.THROTTLED_PAGES + 1);
        assertThat(dashboard.get("charts").asInt()).as("charts drawn").isGreaterThanOrEqualTo(4);
        double shownRebuffer = dashboard.at("/tiles/rebufferPercent").asDouble();
        double shownStartup = dashboard.at("/tiles/startupMillisP50").asDouble();
        assertThat(shownRebuffer).as("dashboard rebuffer %% vs the pages' %.3f", pageRebuffer)
                .isCloseTo(pageRebuffer, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(shownStartup).as("dashboard startup p50 vs the pages' median %.0f ms", pageStartup)
                .isCloseTo(pageStartup, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(dashboard.at("/tiles/exitsBeforeStart").asLong()).isEqualTo(1);

        // event to dashboard under load: two viewers streaming while plays are made and looked for
        List<Double> freshness;
        try (Viewers viewers = Viewers.start(front, 2, List.of(uploaded.getFirst()), viewsStarted)) {
            freshness = qoe.freshness(watched, 20);
            viewers.close();
            assertThat(viewers.stats().failures()).as(viewers.stats().summary()).isEmpty();
        }
        assertThat(ViewerExperience.quantile(freshness, 0.95)).as(ViewerExperience.describe(freshness))
                .isLessThanOrEqualTo(5_000);
        Files.writeString(artifacts().resolve("viewer-experience.md"), String.format(Locale.ROOT, """
                | figure | the pages measured | the dashboard shows |
                |---|---|---|
                | rebuffer %% (%d throttled sessions at %d kbit/s, %d stalls) | %.3f | %.3f |
                | startup p50 (ms) | %.0f | %.0f |
                | exits before start | 1 | %d |
                | playback failure %% of the video with a 404 segment | 100 | %.0f |

                event -> dashboard freshness under 2 streaming viewers: %s
                """, ViewerExperience.THROTTLED_PAGES, ViewerExperience.THROTTLED_KBPS, stalls, pageRebuffer, shownRebuffer,
                pageStartup, shownStartup, dashboard.at("/tiles/exitsBeforeStart").asLong(),
                brokenTotals.get("playbackFailurePercent").asDouble(), ViewerExperience.describe(freshness)));
    }

    @Test
    @Order(9)
    void aPrivateVideosWatchPageLinksItsOwnerToItsFiguresWhichNoOneElseSees() throws Exception {
        String key = platform.apiKey();
        // not in `uploaded`: the fault checks read videos anonymously, and to them a private video is an unknown id
        String video = videos.uploadPrivate(videos.source("private-360p", 4, 360), "Owner's own");
        String token = videos.playbackToken(video); // as the owner gets one: POST /api/videos/{id}/playback-token
        Await.until(video + " READY for its owner, and its watch page served with the token", READY_TIMEOUT,
                () -> "READY".equals(ownersState(video, key))
                        && front.get("/watch/" + video + "?token=" + token).statusCode() == 200,
                List.of());

        // analytics-owner.mjs: the watch page (with the token) to its first frame, then its own link to the dashboard;
        // then a fresh browser context, and the owner's key typed into it
        Path screenshot = artifacts().resolve("e2e-owner-dashboard.png").toAbsolutePath();
        Process node = new ProcessBuilder("node", "analytics-owner.mjs", "platform", platform.frontDoor(), video, key, token,
                screenshot.toString()).directory(browserDir().toFile())
                .redirectError(work.resolve("browser-owner-dashboard.log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        JsonNode run = FrontDoor.JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
        assertThat(run.path("error").isMissingNode()).as(run.toString()).isTrue();

        JsonNode owner = run.get("owner");
        assertThat(owner.get("fatalError").isNull()).as(owner.toString()).isTrue();
        assertThat(owner.get("link").asText()).isEqualTo("/analytics?video=" + video);
        assertThat(owner.get("heading").asText()).isEqualTo("Viewer experience: Owner's own");
        assertThat(owner.get("plays").asLong()).as("the one session that played it: " + owner).isEqualTo(1);
        // the freshness bound (event to analytics API, p95 5 s, checked above) and one refresh of the page (5 s)
        assertThat(owner.get("figuresAfterMillis").asLong()).as(owner.toString()).isLessThanOrEqualTo(10_000);
        assertThat(answered(owner)).as("the token as a header, no key: " + owner).isNotEmpty().allSatisfy(request -> {
            assertThat(request.get("token").asText()).isEqualTo(token);
            assertThat(request.get("authorization").isNull()).isTrue();
            assertThat(request.get("status").asInt()).isEqualTo(200);
        });

        JsonNode stranger = run.get("stranger");
        String nobody = "no-such-" + video;
        String unknown = FrontDoor.JSON.readTree(front.get("/api/analytics/videos/" + nobody + "?window=1h").body())
                .get("error").asText();
        assertThat(stranger.get("error").asText()).as("the unknown id's answer")
                .isEqualTo("No figures: " + unknown.replace(nobody, video));
        assertThat(stranger.get("tiles").asInt()).as("no figures shown").isZero();
        assertThat(stranger.get("answered").asInt()).isZero();
        List<JsonNode> strangers = answered(stranger);
        assertThat(strangers).as(stranger.toString()).anySatisfy(r -> assertThat(r.get("authorization").isNull()).isTrue())
                .allSatisfy(request -> {
                    assertThat(request.get("token").isNull()).as("no token in a fresh context").isTrue();
                    boolean keyed = !request.get("authorization").isNull();
                    if (keyed) {
                        assertThat(request.get("authorization").asText()).isEqualTo("Bearer " + key);
                    }
                    assertThat(request.get("status").asInt()).isEqualTo(keyed ? 200 : 404);
                });
        assertThat(stranger.get("keptKey").asText()).isEqualTo(key);
        assertThat(stranger.get("plays").asLong()).as("the owner's key shows the figures: " + stranger).isEqualTo(1);
        for (JsonNode dashboard : List.of(owner, stranger)) {
            assertThat(dashboard.get("urls")).extracting(JsonNode::asText).as("every URL the dashboard asked for")
                    .isNotEmpty().allSatisfy(url -> assertThat(url).doesNotContain(token, key));
        }
    }

    /** The owner's view of a private video's state (the catalog API with the key). */
    private static String ownersState(String video, String key) throws Exception {
        HttpResponse<String> record = front.send("GET", "/api/catalog/videos/" + video, key, null);
        return record.statusCode() == 200
                ? FrontDoor.JSON.readTree(record.body()).get("state").asText()
                : "HTTP " + record.statusCode();
    }

    /** A dashboard's analytics API requests that were answered (the last may be in flight as the browser closes). */
    private static List<JsonNode> answered(JsonNode dashboard) {
        List<JsonNode> requests = new ArrayList<>();
        dashboard.get("requests").forEach(r -> {
            if (!r.get("status").isNull()) {
                requests.add(r);
            }
        });
        return requests;
    }

    @Test
    @Order(10)
    void securityProbesThroughTheFrontDoorGetTheAnswersTheyMust() throws Exception {
        SecurityProbes security = new SecurityProbes(platform);
        try {
            security.run(videos, work);
        } finally {
            security.write(artifacts().resolve("security-report.md"));
        }
        assertThat(security.probes()).hasSizeGreaterThan(40).allMatch(SecurityProbes.Probe::ok);
    }

    /**
     * Waits until the machine's CPUs were at least {@code share} idle over 2 s (from {@code /proc/stat}), or
     * {@code max} has passed; returns the idle share last measured.
     */
    private static double awaitIdleCpu(double share, Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        double idle;
        do {
            long[] before = cpuTimes();
            Thread.sleep(2_000);
            long[] after = cpuTimes();
            idle = (double) (after[1] - before[1]) / Math.max(1, after[0] - before[0]);
        } while (idle < share && System.nanoTime() < deadline);
        return idle;
    }

    /** The first line of {@code /proc/stat}: all CPU time and the idle part (idle and iowait), in ticks. */
    private static long[] cpuTimes() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length; i++) {
            total += Long.parseLong(fields[i]);
        }
        return new long[]{total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
    }

    /** Issue #14: 5 s on the machine its figures were taken on, scaled by this machine's speed ({@link PublishPathSpeed}). */
    @Test
    @Order(11)
    void aStandard1080pUploadPlaysInChromiumWithin5SecondsOfItsLastByte() throws Exception {
        Path source = videos.standard("phone-1080p", 30, 1080);
        Path screenshot = artifacts().resolve("e2e-fast-publish.png").toAbsolutePath();
        // On a platform that is up and idle, as issue #14's figure is taken: on these 2 cores the ladders of the earlier
        // checks' uploads share the cores with every service and the browser (a deployment's workers have their own).
        checks.awaitReady(List.copyOf(uploaded), READY_TIMEOUT);
        // and once the work that READY sets off (downloads made ahead, storyboards, the checks' own clients) has
        // settled: at most one core busy over 2 s (the idle platform alone keeps 0.4-0.9 of a core busy, its brokers
        // most), waited for up to 2 minutes (then the check runs all the same)
        double idle = awaitIdleCpu(0.5, Duration.ofMinutes(2));
        // the 5 s is the reference machine's: this machine's speed now, on the same processes, scales it
        Duration publishPath = PublishPathSpeed.measure(source, work, 3);
        double bound = 5.0 * PublishPathSpeed.factor(publishPath);
        // the browser is up before the upload starts: its start-up is the viewer's, not the platform's
        Process node = new ProcessBuilder("node", "play.mjs", "-", screenshot.toString(), "3")
                .directory(browserDir().toFile()).redirectError(work.resolve("browser-fast.log").toFile()).start();
        BufferedReader browser = node.inputReader(StandardCharsets.UTF_8);
        String browserReady = CompletableFuture.supplyAsync(() -> {
            try {
                return browser.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, OwnThread.named("browser-output")).get(2, TimeUnit.MINUTES);
        assertThat(browserReady).as("the browser's first line").contains("browserReady");
        long[] lastByteAt = {0};
        String video = videos.upload(source, "Playable in seconds", new UploadListener() {
            @Override
            public void sending(long sent, long total) {
                if (sent == total) {
                    lastByteAt[0] = System.currentTimeMillis(); // the upload's last byte is out (again, if retried)
                }
            }
        });
        // as a creator does: the upload is acknowledged, and its watch page opened as soon as it exists (the edges
        // answer an id they have not read yet as unknown); the page plays the video once it can
        while (front.get("/watch/" + video).statusCode() != 200 && System.currentTimeMillis() - lastByteAt[0] < 60_000) {
            Thread.sleep(20);
        }
        long openedAt = System.currentTimeMillis();
        try (OutputStream toBrowser = node.getOutputStream()) {
            toBrowser.write((platform.frontDoor() + "/watch/" + video + "\n").getBytes(StandardCharsets.UTF_8));
        }
        uploaded.add(video);
        // for the report: when the edge serves the video as playable, asked the watch page's way (one held request,
        // where polling the catalog and the playlists would load the cores this figure is measured on)
        HttpResponse<String> master = front.awaitPlayable(video, Duration.ofMinutes(1));
        long servedAt = System.currentTimeMillis();
        String loadAverage = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        String output = browser.lines().reduce((a, b) -> b).orElse("{}");
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        JsonNode played = FrontDoor.JSON.readTree(output);
        assertThat(played.path("error").isMissingNode()).as(played.toString()).isTrue();
        assertThat(played.get("fatalError").isNull()).as(played.toString()).isTrue();
        double seconds = (played.get("playingAt").asLong() - lastByteAt[0]) / 1000.0;
        PublishEvents events = PublishEvents.of(
                EventHistory.read(platform.bootstrapServers(), List.of(Topics.UPLOADS, Topics.TRANSCODE)), video);
        report.note(String.format(Locale.ROOT, "1080p standard upload, from its last byte: watch page opened %.2f s, loaded "
                + "%.2f s; uploaded event %.2f s -> first picture event %.2f s -> playable at the edge %.2f s -> playing "
                + "in Chromium %.2f s (load average %s; CPU %.0f%% idle before the upload; the publish path's fixed work "
                + "took %d ms against the reference machine's %d ms: bound %.1f s)",
                (openedAt - lastByteAt[0]) / 1000.0,
                (played.get("loadedAt").asLong() - lastByteAt[0]) / 1000.0, (events.uploadedAt() - lastByteAt[0]) / 1000.0,
                (events.firstPictureAt() - lastByteAt[0]) / 1000.0, (servedAt - lastByteAt[0]) / 1000.0, seconds,
                loadAverage, 100 * idle, publishPath.toMillis(), PublishPathSpeed.REFERENCE.toMillis(), bound));
        assertThat(master.statusCode()).as("the master playlist once playable").isEqualTo(200);
        assertThat(master.body()).as("the passthrough, at full resolution, is the first rendition")
                .contains("1080p/index.m3u8").doesNotContain("240p/", "360p/", "480p/", "720p/");
        assertThat(seconds).as("last byte -> playing in Chromium, seconds (5 s on the reference machine)")
                .isLessThanOrEqualTo(bound);
        assertThat(played.get("levels").toString()).contains("1080");
        assertThat(played.get("audioTracks").asInt()).as("the audio rendition, copied from the original").isEqualTo(1);

        checks.awaitReady(List.of(video), READY_TIMEOUT);
        JsonNode ready = front.video(video).orElseThrow();
        assertThat(ready.get("renditions")).extracting(r -> r.get("name").asText())
                .containsExactly("audio", "240p", "360p", "480p", "720p", "1080p");
        Await.until("the view counted", Duration.ofMinutes(1), () -> checks.views(video) >= 1, List.of());
        viewsStarted.computeIfAbsent(video, v -> new LongAdder()).add(checks.views(video));
    }

    /** The highest video rendition still being encoded (the last to be whole), or {@code null}. */
    private static JsonNode growingPicture(JsonNode record) {
        return pictures(record).filter(r -> r.path("growing").asBoolean()).reduce((lower, higher) -> higher).orElse(null);
    }

    /** The record's first rendition with pictures (lowest bandwidth first), or {@code null} before there is one. */
    private static JsonNode firstPicture(JsonNode record) {
        return pictures(record).findFirst().orElse(null);
    }

    private static Stream<JsonNode> pictures(JsonNode record) {
        return StreamSupport.stream(record.get("renditions").spliterator(), false)
                .filter(r -> !"audio".equals(r.path("kind").asText()));
    }

    @Test
    @Order(12)
    void transcoderKilledMidJob() throws Exception {
        // on a settled platform: a ladder an earlier check left running (its check failed before awaiting it) would be
        // this check's load too, and its kill would hit that ladder rather than this batch
        checks.awaitReady(List.copyOf(uploaded), READY_TIMEOUT);
        List<String> batch = new ArrayList<>();
        batch.add(videos.upload(videos.source("long-720p", 12, 720), "Long"));
        batch.add(videos.upload(videos.source("short-360p", 6, 360), "Short A"));
        batch.add(videos.upload(videos.source("short-360p", 6, 360), "Short B"));
        uploaded.addAll(batch);
        try (Viewers viewers = Viewers.start(front, 2, List.of(uploaded.getFirst()), viewsStarted)) {
            // mid-job: a worker whose ffmpeg is running
            ProcessHandle[] busy = new ProcessHandle[1];
            Await.until("a transcoder running ffmpeg", Duration.ofMinutes(2), () -> {
                busy[0] = busyTranscoder();
                return busy[0] != null;
            }, List.of());
            String instance = ReelPlatform.environment(busy[0]).getProperty("REEL_INSTANCE_ID");
            long killedAt = System.nanoTime();
            Instant killedAtTime = Instant.now();
            killWithChildren(busy[0]);

            checks.awaitReady(batch, READY_TIMEOUT);
            Duration sinceKill = Duration.ofNanos(System.nanoTime() - killedAt);
            // the killed job, done again: a chunk task's result (or an upload's transcode.started) of a later attempt
            EventHistory transcodes = EventHistory.read(platform.bootstrapServers(), List.of(Topics.TRANSCODE));
            Instant redelivered = batch.stream().flatMap(v -> transcodes.of(Topics.TRANSCODE, v).stream())
                    .filter(e -> ("reel.chunk.completed".equals(e.type()) || "reel.transcode.started".equals(e.type()))
                            && e.data().get("attempt").asInt() > 1)
                    .map(PlatformE2EIT::time).findFirst().orElseThrow(() -> new AssertionError("no job was started again"));
            platform.awaitRestarted(busy[0], instance);
            viewers.close();
            assertThat(viewers.stats().failures()).as(viewers.stats().summary()).isEmpty();
            report.add("kill -9 a transcoder (" + instance + ") mid-job", "3 uploads; 2 viewers: " + viewers.stats().summary(),
                    sinceKill, "all 3 READY; the killed job done again "
                            + Duration.between(killedAtTime, redelivered).toSeconds() + " s after the kill",
                    endChecks());
        }
    }

    @Test
    @Order(13)
    void ingestKilledInTheMiddleOfALargeTusJsClientUploadThroughTheFrontDoor() throws Exception {
        Path file = videos.large("large-720p", 20, 720);
        long size = Files.size(file);
        int chunk = 4 * 1024 * 1024;
        try (TusThroughRestart upload = TusThroughRestart.start(work.resolve("tus-js"), platform.frontDoor() + "/api/uploads",
                file, platform.apiKey(), chunk, 300)) {
            upload.firstChunkAcknowledged().get(5, TimeUnit.MINUTES);
            // the instance that took the first PATCH takes them all while it lives (the URI hashes to it)
            String serving = ingestServingUploads();
            ProcessHandle victim = platform.service(serving);
            upload.patchingPastAThird().get(5, TimeUnit.MINUTES);
            long killedAt = System.nanoTime();
            victim.destroyForcibly(); // as the PATCH's body goes out
            victim.onExit().get(30, TimeUnit.SECONDS);
            platform.awaitRestarted(victim, serving);
            Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
            TusThroughRestart.Result result = upload.await(10);
            String video = result.videoId();
            uploaded.add(video);
            assertThat(result.creations()).as("one upload, never started over: %s", result.lines()).isEqualTo(1);
            assertThat(result.sent()).as("bytes sent, at most the file and one chunk again").isLessThanOrEqualTo(size + chunk);
            checks.awaitReady(List.of(video), READY_TIMEOUT);
            JsonNode record = front.video(video).orElseThrow();
            assertThat(record.path("source").path("sha256").asText()).as("the original, byte for byte")
                    .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(file))));
            List<String> resumes = result.lines().stream().filter(l -> l.startsWith("head ")).toList();
            report.add(
                    "kill -9 the ingest instance serving a large tus-js-client upload (" + serving
                            + ") in the middle of a PATCH a third into it",
                    String.format(Locale.ROOT, "1 upload of %.1f MB in 4 MiB PATCHes through the front door: %.1f MB sent, "
                            + "%d creation, resumes %s", size / 1e6, result.sent() / 1e6, result.creations(), resumes),
                    recovery, serving + " back and ready; the upload completed on the other instance meanwhile, READY with the "
                            + "original's checksum",
                    endChecks());
        }
    }

    /** The ingest instance HAProxy sent the last upload PATCH to, from its log. */
    private static String ingestServingUploads() throws Exception {
        Pattern server = Pattern.compile("ingest/(ingest-\\d+) .*\"PATCH /api/uploads/");
        List<String> lines = Files.readAllLines(platform.runDir().resolve("logs").resolve("haproxy.log"));
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = server.matcher(lines.get(i));
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no PATCH of an upload in the front door's log");
    }

    @Test
    @Order(14)
    void catalogKilledUnderQueryLoadThenRestarted() throws Exception {
        try (CatalogQueries queries = CatalogQueries.start(front, 4, List.copyOf(uploaded))) {
            Thread.sleep(2_000);
            Duration recovery = platform.killAndAwaitRestart("catalog-1");
            Thread.sleep(3_000); // queries keep going against the restarted instance
            queries.close();
            assertThat(queries.stats().failures()).as(queries.stats().summary()).isEmpty();
            report.add("kill -9 catalog-streams (catalog-1) under query load, supervisor restarts it",
                    "4 API readers: " + queries.stats().summary(), recovery, "catalog-1 back and ready", endChecks());
        }
    }

    @Test
    @Order(15)
    void edgeKilledWhileTwoClientsStream() throws Exception {
        try (Viewers viewers = Viewers.start(front, 2, List.copyOf(uploaded.subList(0, 2)), viewsStarted)) {
            Thread.sleep(3_000);
            Duration recovery = platform.killAndAwaitRestart("edge-1");
            Thread.sleep(3_000);
            viewers.close();
            assertThat(viewers.stats().failures()).as(viewers.stats().summary()).isEmpty();
            report.add("kill -9 an edge (edge-1) while two clients stream", "2 viewers: " + viewers.stats().summary(), recovery,
                    "edge-1 back and ready; HAProxy sent its requests to edge-2 meanwhile", endChecks());
        }
    }

    @Test
    @Order(16)
    void brokerKilledDuringUploadsAndPlayback() throws Exception {
        try (Viewers viewers = Viewers.start(front, 2, List.copyOf(uploaded.subList(0, 2)), viewsStarted)) {
            CompletableFuture<List<String>> uploads = CompletableFuture.supplyAsync(() -> {
                List<String> ids = new ArrayList<>();
                try {
                    for (int i = 1; i <= 3; i++) {
                        ids.add(videos.upload(videos.source("short-360p", 6, 360), "During broker loss " + i));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return ids;
            }, OwnThread.named("uploads-during-broker-loss"));
            Thread.sleep(1_000);
            ProcessHandle broker = platform.broker(2);
            long killedAt = System.nanoTime();
            broker.destroyForcibly();
            List<String> batch = uploads.get(5, TimeUnit.MINUTES);
            uploaded.addAll(batch);
            checks.awaitReady(batch, READY_TIMEOUT);
            Await.until("broker 2 back and every partition fully in sync", Duration.ofMinutes(4), PlatformE2EIT::allInSync,
                    List.of());
            Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
            viewers.close();
            assertThat(viewers.stats().failures()).as(viewers.stats().summary()).isEmpty();
            report.add("--brokers 3: kill -9 broker 2 during uploads and playback", "3 uploads all accepted; 2 viewers: "
                    + viewers.stats().summary(), recovery, "uploads READY, broker 2 restarted and every ISR full again",
                    endChecks());
        }
    }

    @Test
    @Order(17)
    void storageStoppedFor20SecondsDuringATranscodeAndUncachedPlayback() throws Exception {
        String uncached = videos.upload(videos.source("uncached-360p", 8, 360), "Never played before the outage");
        uploaded.add(uncached);
        checks.awaitReady(List.of(uncached), READY_TIMEOUT);
        String transcoding = videos.upload(videos.source("long-720p", 12, 720), "Transcoded across the outage");
        uploaded.add(transcoding);
        Await.until("ffmpeg running for the upload", Duration.ofMinutes(2), () -> busyTranscoder() != null, List.of());
        Map<String, Long> before = servicePids();

        ProcessHandle s3 = platform.storageServer();
        long stoppedAt = System.nanoTime();
        signal(s3, "STOP");
        LoadStats during;
        try (Viewers viewers = Viewers.start(front, 2, List.of(uncached), viewsStarted)) {
            HttpResponse<byte[]> direct;
            try {
                // an uncached segment answers a clear 503 while storage is away (the viewers are still at the start)
                direct = front.get("/v/" + uncached + "/240p/seg-00002.m4s");
                long left = Duration.ofSeconds(20).toNanos() - (System.nanoTime() - stoppedAt);
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)));
            } finally {
                signal(s3, "CONT");
            }
            long resumedAt = System.nanoTime();
            assertThat(direct.statusCode()).as("uncached segment while storage is stopped").isEqualTo(503);
            assertThat(direct.headers().firstValue("Retry-After")).isPresent();
            checks.awaitReady(List.of(transcoding), READY_TIMEOUT);
            Duration recovery = Duration.ofNanos(System.nanoTime() - resumedAt);
            viewers.close();
            during = viewers.stats();
            assertThat(during.failures()).as(during.summary()).isEmpty();
            assertThat(servicePids()).as("no service crashed or was restarted").isEqualTo(before);
            report.add("S3 server stopped (SIGSTOP) for 20 s during a transcode and uncached playback",
                    "2 viewers of an uncached video: " + during.summary(), recovery,
                    "the transcode READY after storage returned; 503 + Retry-After meanwhile", endChecks());
        }
    }

    @Test
    @Order(18)
    void fiveHundredSlowConnectionsToAnEdgeWhileOthersStream() throws Exception {
        int edgePort = platform.port("edge-1");
        List<java.net.Socket> slow = new ArrayList<>();
        try (Viewers viewers = Viewers.start(front, 2, List.copyOf(uploaded.subList(0, 2)), viewsStarted)) {
            for (int i = 0; i < 500; i++) {
                java.net.Socket socket = new java.net.Socket("127.0.0.1", edgePort);
                socket.getOutputStream().write("GET /v/slow HTTP/1.1\r\nHost: reel\r\n".getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            long started = System.nanoTime();
            for (int round = 0; round < 6; round++) { // a header line every 5 s: never idle, never done
                Thread.sleep(5_000);
                for (java.net.Socket socket : slow) {
                    socket.getOutputStream().write(("X-Slow-" + round + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
            HttpResponse<byte[]> direct = new FrontDoor("http://127.0.0.1:" + edgePort).get("/readyz");
            viewers.close();
            assertThat(direct.statusCode()).as("edge-1 still answers others directly").isEqualTo(200);
            assertThat(viewers.stats().failures()).as(viewers.stats().summary()).isEmpty();
            report.add("a client holds 500 slow connections to edge-1 (a header line every 5 s) while others stream",
                    "2 viewers: " + viewers.stats().summary(), Duration.ofNanos(System.nanoTime() - started),
                    "edge-1 kept serving (its selector holds a slow connection without a thread) and answered /readyz",
                    endChecks());
        } finally {
            for (java.net.Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    @Order(19)
    void storageRefusingWritesDuringATranscodeAndAnUpload() throws Exception {
        String transcoding = videos.upload(videos.source("full-720p", 20, 720), "Transcoded while storage is full");
        uploaded.add(transcoding);
        Await.until("ffmpeg running for the upload", Duration.ofMinutes(2), () -> busyTranscoder() != null, List.of());
        ProcessHandle s3 = platform.storageServer();
        Map<String, Long> before = servicePids();
        long fullAt = System.nanoTime();
        // The S3 server's writes fail from now on (RLIMIT_FSIZE 0: every write to a file fails with EFBIG; the JVM
        // ignores SIGXFSZ), reads still work: a full disk, as the server sees it.
        prlimit(s3, "0:unlimited");
        CompletableFuture<String> upload;
        try {
            upload = CompletableFuture.supplyAsync(() -> {
                try {
                    return videos.upload(videos.source("during-full-360p", 6, 360), "Uploaded while storage is full");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, OwnThread.named("upload-while-storage-is-full"));
            Thread.sleep(20_000);
        } finally {
            prlimit(s3, "unlimited:unlimited");
        }
        String uploadedDuring = upload.get(5, TimeUnit.MINUTES);
        uploaded.add(uploadedDuring);
        checks.awaitReady(List.of(transcoding, uploadedDuring), READY_TIMEOUT);
        Duration recovery = Duration.ofNanos(System.nanoTime() - fullAt);
        assertThat(servicePids()).as("no service crashed or was restarted").isEqualTo(before);
        report.add("S3 server refusing every write (RLIMIT_FSIZE 0) for 20 s during a transcode and an upload",
                "1 transcode, 1 upload (Java client, retrying 503s)", recovery,
                "both READY after storage took writes again; the transcode retried its writes, the upload its PATCHes",
                endChecks());
    }

    private static void prlimit(ProcessHandle process, String limit) throws Exception {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(process.pid()), "--fsize=" + limit)
                .inheritIO().start();
        assertThat(prlimit.waitFor(10, TimeUnit.SECONDS) && prlimit.exitValue() == 0).as("prlimit --fsize=%s", limit).isTrue();
    }

    @Test
    @Order(20)
    void wholePlatformRestartsWithAllItsState() throws Exception {
        checks.awaitReady(List.copyOf(uploaded), READY_TIMEOUT);
        Map<String, String> statesBefore = new LinkedHashMap<>();
        for (String video : uploaded) {
            statesBefore.put(video, checks.state(video));
        }
        Map<String, Long> viewsBefore = new LinkedHashMap<>();
        for (String video : uploaded) {
            viewsBefore.put(video, checks.views(video));
        }
        long stoppedAt = System.nanoTime();
        platform.stop();
        long startedAt = System.nanoTime();
        platform.startAgain();
        Duration recovery = Duration.ofNanos(System.nanoTime() - stoppedAt);
        assertThat(platform.output()).as("started again on its data: no topic created, none changed")
                .contains("Reel is up").doesNotContain("(created").doesNotContain("DRIFT");
        String phases = String.format(Locale.ROOT, "clean stop %.0f s, start %.0f s; ",
                (startedAt - stoppedAt) / 1e9, (System.nanoTime() - startedAt) / 1e9);
        for (String video : uploaded) {
            assertThat(checks.state(video)).as(video).isEqualTo(statesBefore.get(video));
            assertThat(checks.views(video)).as("views of %s", video).isEqualTo(viewsBefore.get(video));
        }
        try (Viewers viewers = Viewers.start(front, 2, List.copyOf(uploaded.subList(0, 2)), viewsStarted)) {
            Thread.sleep(3_000);
            viewers.close();
            assertThat(viewers.stats().failures()).as(viewers.stats().summary()).isEmpty();
            report.add("restart the whole platform (SIGTERM reel up, start it again)",
                    "after: 2 viewers: " + viewers.stats().summary(),
                    recovery, phases + "every state and view count back from Kafka and storage", endChecks());
        }
    }

    @Test
    @Order(21)
    void launcherKilledWithSigkillLeavesNoProcess() throws Exception {
        keepTheTrace(); // while Kafka is still up
        Duration gone = platform.killLauncherAndAwaitNoChildren(Duration.ofSeconds(10));
        report.add("kill -9 the launcher (reel up) itself", "the whole platform running", gone,
                "every child (3 brokers, S3, services, HAProxy) gone: they die with their parent (setpriv --pdeathsig)",
                "nothing to check: the platform is down by design");
    }

    /** The checks each fault ends with; returns what was lost, which must be nothing. */
    private static String endChecks() throws Exception {
        List<String> all = List.copyOf(uploaded);
        checks.awaitReady(all, READY_TIMEOUT);
        checks.readyExactlyOnce(all);
        int objects = checks.everyObjectPresent(all);
        checks.viewsExact(viewsStarted);
        long views = viewsStarted.values().stream().mapToLong(LongAdder::sum).sum();
        return "nothing: " + all.size() + " videos READY once, " + objects + " objects present, " + views
                + " views counted exactly";
    }

    private static ProcessHandle busyTranscoder() {
        return platform.children().stream()
                .filter(p -> ReelPlatform.environment(p).getProperty("REEL_INSTANCE_ID", "").startsWith("transcoder-"))
                .filter(p -> p.children().anyMatch(c -> ReelPlatform.commandLine(c).startsWith("ffmpeg")
                        || ReelPlatform.commandLine(c).contains("/ffmpeg ")))
                .findFirst().orElse(null);
    }

    /** A crashed machine: the worker and the ffmpeg it runs die together. */
    private static void killWithChildren(ProcessHandle process) throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    private static Map<String, Long> servicePids() {
        Map<String, Long> pids = new TreeMap<>();
        for (ProcessHandle child : platform.children()) {
            String instance = ReelPlatform.environment(child).getProperty("REEL_INSTANCE_ID");
            if (instance != null) {
                pids.put(instance, child.pid());
            }
        }
        return pids;
    }

    private static void signal(ProcessHandle process, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s %d", signal, process.pid()).isTrue();
    }

    private static boolean allInSync() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            return topics.values().stream().flatMap(t -> t.partitions().stream())
                    .allMatch(p -> p.isr().size() == p.replicas().size());
        }
    }

    private static Instant time(EventHistory.Event event) {
        return Instant.parse(event.json().get("time").asText());
    }

    private static JsonNode chromiumPlays(String url, String screenshotName) throws Exception {
        Path npmDir = browserDir();
        Path screenshot = artifacts().resolve(screenshotName).toAbsolutePath();
        Process node = new ProcessBuilder("node", "play.mjs", url, screenshot.toString(), "3")
                .directory(npmDir.toFile()).redirectError(work.resolve("browser.log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        assertThat(screenshot).exists();
        return FrontDoor.JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
    }

    private static Path npmDir() {
        return Path.of(System.getProperty("reel.browser.npm.dir", "target/npm/browser"));
    }

    /** The browser driver's folder (play.mjs and playwright-core), checking that it and Debian's chromium are there. */
    private static Path browserDir() {
        Path npmDir = npmDir();
        Path chromium = Path.of(System.getenv().getOrDefault("REEL_CHROMIUM", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(chromium)).as("Debian's chromium at " + chromium + " (apt-get install -y chromium)")
                .isTrue();
        assertThat(npmDir.resolve("node_modules/playwright-core")).as("playwright-core installed by the build (npm ci)").exists();
        return npmDir;
    }

    private static Path artifacts() throws Exception {
        return Files.createDirectories(Path.of(System.getProperty("reel.test.artifacts", "target/test-artifacts")));
    }
}
