package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reel.cluster.Await;
import dev.reel.events.topics.Topics;
import dev.reel.launcher.ReelPlatform;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        platform = ReelPlatform.start(runDir, "--brokers", "3", "--catalogs", "2", "--transcoders", "2", "--edges", "2");
        front = new FrontDoor(platform.frontDoor());
        videos = new Videos(work, platform.frontDoor(), platform.apiKey());
        checks = new PlatformChecks(front, platform.clientEnv());
    }

    @AfterAll
    static void stopThePlatform() throws Exception {
        report.write(artifacts().resolve("fault-report.md"));
        if (platform != null) {
            platform.close();
        }
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

        JsonNode played = chromiumPlays(platform.frontDoor() + "/watch/" + video, "e2e-watch-page.png");
        assertThat(played.path("error").isMissingNode()).as(played.toString()).isTrue();
        assertThat(played.get("currentTime").asDouble()).as(played.toString()).isGreaterThan(3.0);
        assertThat(played.get("fatalError").isNull()).as(played.toString()).isTrue();
        assertThat(played.get("title").asText()).isEqualTo("End to end");
        Await.until("the view counted", Duration.ofMinutes(1), () -> checks.views(video) >= 1, List.of());
        viewsStarted.computeIfAbsent(video, v -> new LongAdder()).add(checks.views(video)); // the browser's, from here on exact

        assertWholeHistoryInOrderAndValid(video);
    }

    @Test
    @Order(2)
    void aLongUploadPlaysInChromiumWhileItIsStillTranscoding() throws Exception {
        String video = videos.upload(videos.source("long-720p", 20, 720), "Playable early");
        uploaded.add(video);
        // PLAYABLE before READY: the renditions are announced growing once the encode keeps ahead of a viewer
        JsonNode[] playable = new JsonNode[1];
        Await.until(video + " PLAYABLE while transcoding", READY_TIMEOUT, () -> {
            playable[0] = front.video(video).orElse(null);
            return playable[0] != null && !playable[0].get("renditions").isEmpty();
        }, List.of());
        assertThat(playable[0].get("state").asText()).as("first seen with renditions").isEqualTo("PLAYABLE");
        JsonNode lowest = playable[0].get("renditions").get(0);
        assertThat(lowest.get("growing").asBoolean()).as(lowest.toString()).isTrue();
        // The edges read the record from reel.catalog once its transaction commits, a moment after the catalog's store has it.
        String[] playlist = new String[1];
        Await.until("the growing playlist at the edge", Duration.ofSeconds(15), () -> {
            playlist[0] = new String(front.get("/v/" + video + "/" + lowest.get("name").asText() + "/index.m3u8").body(),
                    StandardCharsets.UTF_8);
            return !playlist[0].contains("no such rendition file");
        }, List.of());
        assertThat(playlist[0]).contains("#EXT-X-PLAYLIST-TYPE:EVENT");

        JsonNode played = chromiumPlays(platform.frontDoor() + "/watch/" + video, "e2e-watch-while-transcoding.png");
        assertThat(played.path("error").isMissingNode()).as(played.toString()).isTrue();
        assertThat(played.get("currentTime").asDouble()).as(played.toString()).isGreaterThan(3.0);
        assertThat(played.get("fatalError").isNull()).as(played.toString()).isTrue();

        checks.awaitReady(List.of(video), READY_TIMEOUT);
        String finished = new String(front.get("/v/" + video + "/" + lowest.get("name").asText() + "/index.m3u8").body(),
                StandardCharsets.UTF_8);
        assertThat(finished).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST");
        Await.until("the view counted", Duration.ofMinutes(1), () -> checks.views(video) >= 1, List.of());
        viewsStarted.computeIfAbsent(video, v -> new LongAdder()).add(checks.views(video));
    }

    @Test
    @Order(3)
    void securityProbesThroughTheFrontDoorGetTheAnswersTheyMust() throws Exception {
        SecurityProbes security = new SecurityProbes(platform);
        try {
            security.run(videos, work);
        } finally {
            security.write(artifacts().resolve("security-report.md"));
        }
        assertThat(security.probes()).hasSizeGreaterThan(40).allMatch(SecurityProbes.Probe::ok);
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
    @Order(4)
    void transcoderKilledMidJob() throws Exception {
        List<String> batch = new ArrayList<>();
        batch.add(videos.upload(videos.source("long-720p", 20, 720), "Long"));
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
            // the killed job, started again: a transcode.started of a later attempt
            EventHistory transcodes = EventHistory.read(platform.bootstrapServers(), List.of(Topics.TRANSCODE));
            Instant redelivered = batch.stream().flatMap(v -> transcodes.of(Topics.TRANSCODE, v).stream())
                    .filter(e -> "reel.transcode.started".equals(e.type()) && e.data().get("attempt").asInt() > 1)
                    .map(PlatformE2EIT::time).findFirst().orElseThrow(() -> new AssertionError("no job was started again"));
            platform.awaitRestarted(busy[0], instance);
            viewers.close();
            assertThat(viewers.stats().failures()).as(viewers.stats().summary()).isEmpty();
            report.add("kill -9 a transcoder (" + instance + ") mid-job", "3 uploads; 2 viewers: " + viewers.stats().summary(),
                    sinceKill, "all 3 READY; the killed job started again "
                            + Duration.between(killedAtTime, redelivered).toSeconds() + " s after the kill",
                    endChecks());
        }
    }

    @Test
    @Order(5)
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
    @Order(6)
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
    @Order(7)
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
    @Order(8)
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
            });
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
    @Order(9)
    void storageStoppedFor20SecondsDuringATranscodeAndUncachedPlayback() throws Exception {
        String uncached = videos.upload(videos.source("uncached-360p", 8, 360), "Never played before the outage");
        uploaded.add(uncached);
        checks.awaitReady(List.of(uncached), READY_TIMEOUT);
        String transcoding = videos.upload(videos.source("long-720p", 20, 720), "Transcoded across the outage");
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
    @Order(10)
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
    @Order(11)
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
            });
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
    @Order(12)
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
    @Order(13)
    void launcherKilledWithSigkillLeavesNoProcess() throws Exception {
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
        Path npmDir = Path.of(System.getProperty("reel.browser.npm.dir", "target/npm/browser"));
        Path chromium = Path.of(System.getenv().getOrDefault("REEL_CHROMIUM", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(chromium)).as("Debian's chromium at " + chromium + " (apt-get install -y chromium)")
                .isTrue();
        assertThat(npmDir.resolve("node_modules/playwright-core")).as("playwright-core installed by the build (npm ci)").exists();
        Path screenshot = artifacts().resolve(screenshotName).toAbsolutePath();
        Process node = new ProcessBuilder("node", "play.mjs", url, screenshot.toString(), "3")
                .directory(npmDir.toFile()).redirectError(work.resolve("browser.log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        assertThat(screenshot).exists();
        return FrontDoor.JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
    }

    private static Path artifacts() throws Exception {
        return Files.createDirectories(Path.of(System.getProperty("reel.test.artifacts", "target/test-artifacts")));
    }
}
