package dev.reel.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.Ports;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.frontdoor.Backend;
import dev.reel.frontdoor.FrontDoor;
import dev.reel.frontdoor.HaproxyConfig;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.MinioClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The front door for real: HAProxy (config from {@link HaproxyConfig}) in front of two edges running as child JVMs
 * from {@code dev.reel.edge.Main}, plus small stand-ins for ingest and catalog-streams that prove the API routing.
 * A real chromium plays the watch page through it, and an edge killed with SIGKILL mid-stream costs the client nothing.
 */
@RealCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrontDoorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "front-door-it").toAbsolutePath();

    private record RunningEdge(ChildProcess process, int port) {
    }

    private static final List<RunningEdge> edges = new ArrayList<>();
    private static ChildProcess haproxy;
    private static Server stubs;
    private static HlsLadder ladder;
    private static VideoRecord video;
    private static Http front;
    private static Http stats;

    @SuppressWarnings("try") // MinioClient.close() declares Exception
    @BeforeAll
    static void start(ClusterEndpoints cluster) throws Exception {
        Files.createDirectories(WORK);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            new TopicBootstrap(admin, 1).ensure(Topics.all());
        }
        ladder = HlsLadder.get();
        String id = TestEdges.newVideoId();
        try (MinioClient s3 = cluster.s3().client();
                CatalogPublisher catalog = new CatalogPublisher(cluster.bootstrapServers())) {
            ladder.upload(s3, cluster.bucket(), id);
            video = ladder.record(id, "Front door test pattern", Visibility.PUBLIC, VideoState.READY, 2, 1);
            catalog.publish(video);
        }

        List<Backend> edgeBackends = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            int port = Ports.free();
            ChildProcess edge = new ChildProcess("edge-" + i,
                    List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                            "-cp", System.getProperty("java.class.path"), "dev.reel.edge.Main"),
                    TestEdges.environment(cluster, cluster.bootstrapServers(), "front-door-edge-" + i, port),
                    WORK, WORK.resolve("edge-" + i + ".log"));
            edge.start();
            edges.add(new RunningEdge(edge, port));
            edgeBackends.add(new Backend("edge-" + i, "127.0.0.1", port));
        }
        stubs = startStubs();
        int stubPort = dev.reel.service.ops.HttpServers.port(stubs);
        int frontPort = Ports.free();
        int statsPort = Ports.free();
        Path cfg = WORK.resolve("haproxy.cfg");
        Files.writeString(cfg, HaproxyConfig.render(new FrontDoor("127.0.0.1", frontPort, edgeBackends,
                List.of(new Backend("ingest-1", "127.0.0.1", stubPort)), List.of(new Backend("catalog-1", "127.0.0.1", stubPort)),
                statsPort)));
        new ChildProcess("haproxy-check", List.of(haproxyBinary(), "-c", "-f", cfg.toString()), Map.of(), WORK,
                WORK.resolve("haproxy-check.log")).runToCompletion(Duration.ofSeconds(30));
        haproxy = new ChildProcess("haproxy", List.of(haproxyBinary(), "-f", cfg.toString(), "-db"), Map.of(), WORK,
                WORK.resolve("haproxy.log"));
        haproxy.start();
        front = new Http("http://127.0.0.1:" + frontPort);
        stats = new Http("http://127.0.0.1:" + statsPort);
        for (Backend edge : edgeBackends) {
            Http direct = new Http("http://127.0.0.1:" + edge.port());
            List<ChildProcess> watched = new ArrayList<>(edges.stream().map(RunningEdge::process).toList());
            watched.add(haproxy);
            Await.until(edge.name() + " ready with the video", Duration.ofMinutes(2),
                    () -> direct.get("/readyz").statusCode() == 200
                            && direct.get("/v/" + video.videoId() + "/master.m3u8").statusCode() == 200,
                    watched);
        }
        // Both edges UP in HAProxy's eyes (rise 2 x inter 1s), else the hash ring changes under the first test.
        Await.until("both edges UP in HAProxy", Duration.ofMinutes(1),
                () -> "UP".equals(edgeStatus("edge-1")) && "UP".equals(edgeStatus("edge-2")), List.of(haproxy));
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.stop(Duration.ofSeconds(5));
        }
        edges.forEach(edge -> edge.process().stop(Duration.ofSeconds(20)));
        LifeCycle.stop(stubs);
    }

    /** Stand-ins for ingest and catalog-streams: they answer who they are, so routing is visible. */
    private static Server startStubs() throws Exception {
        return dev.reel.service.ops.HttpServers.start("stubs", "127.0.0.1", 0, dev.reel.service.ops.HttpServers.SMALL_BODIES,
                new Handler.Abstract.NonBlocking() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        String path = Request.getPathInContext(request);
                        String body = path.startsWith("/api/catalog/videos/") && path.endsWith("/views")
                                ? "{\"videoId\":\"" + video.videoId() + "\",\"views\":4242}"
                                : path.equals("/readyz")
                                        ? "ready"
                                        : "{\"stub\":\"" + (path.startsWith("/api/catalog") ? "catalog" : "ingest") + "\"}";
                        response.getHeaders().put("Content-Type", "application/json");
                        Content.Sink.write(response, true, body, callback);
                        return true;
                    }
                });
    }

    /** The server's status column (UP, DOWN, ...) in HAProxy's CSV stats. */
    private static String edgeStatus(String server) throws Exception {
        return stats.text("/;csv").lines().map(line -> line.split(","))
                .filter(f -> f.length > 17 && f[0].equals("edges") && f[1].equals(server))
                .map(f -> f[17]).findFirst().orElse("missing");
    }

    private static String haproxyBinary() {
        for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("haproxy is not installed: apt-get install -y haproxy (infra/test installs it)");
    }

    /** Fetches the whole video through the door and checks every byte; returns the number of requests made. */
    private static int streamOnce(Http http) throws Exception {
        String base = "/v/" + video.videoId() + "/";
        int requests = 0;
        HttpResponse<byte[]> master = http.get(base + "master.m3u8");
        requests++;
        check(master.statusCode() == 200 && new String(master.body()).contains("360p/index.m3u8"),
                "master: " + master.statusCode());
        for (String rendition : HlsLadder.RENDITIONS) {
            List<String> files = new ArrayList<>(List.of("index.m3u8", "init.mp4"));
            for (int n = 1; n <= ladder.segmentCount(rendition); n++) {
                files.add("seg-%05d.m4s".formatted(n));
            }
            for (String file : files) {
                HttpResponse<byte[]> response = http.get(base + rendition + "/" + file);
                requests++;
                check(response.statusCode() == 200, rendition + "/" + file + ": status " + response.statusCode());
                check(java.util.Arrays.equals(response.body(), Files.readAllBytes(ladder.file(rendition, file))),
                        rendition + "/" + file + ": bytes differ (" + response.body().length + " bytes)");
            }
        }
        return requests;
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }

    @Test
    @Order(1)
    void streamsEveryFileByteIdenticalAndRoutesTheApisToTheirServices() throws Exception {
        assertThat(streamOnce(front)).isEqualTo(1 + 2 * (2 + ladder.segmentCount("240p")));
        assertThat(front.text("/api/videos/abc")).contains("\"stub\":\"ingest\"");
        assertThat(front.text("/api/uploads")).contains("\"stub\":\"ingest\"");
        assertThat(front.text("/api/catalog/videos/" + video.videoId() + "/views")).contains("4242");
        assertThat(front.text("/")).contains("/watch/" + video.videoId());
        assertThat(front.get("/v/" + video.videoId() + "/240p/../../../etc/passwd").statusCode()).isIn(400, 404);
        // Consistent URI hashing: each segment is cached on one edge, so across both edges each is read from storage once.
        double reads = 0;
        for (int i = 0; i < 3; i++) {
            streamOnce(front);
        }
        for (RunningEdge edge : edges) {
            reads += new Http("http://127.0.0.1:" + edge.port()).metric("reel_edge_storage_reads_total");
        }
        assertThat(reads).isEqualTo(2 * (2 + ladder.segmentCount("240p"))); // the master playlist is built, not read
    }

    @Test
    @Order(2)
    void chromiumPlaysTheWatchPageThroughTheFrontDoor() throws Exception {
        Path npmDir = Path.of(System.getProperty("reel.browser.npm.dir", "target/npm/browser"));
        Path chromium = Path.of(System.getenv().getOrDefault("REEL_CHROMIUM", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(chromium)).as("Debian's chromium at " + chromium + " (apt-get install -y chromium)")
                .isTrue();
        assertThat(npmDir.resolve("node_modules/playwright-core")).as("playwright-core installed by the build (npm ci)").exists();
        Path artifacts = Files.createDirectories(Path.of(System.getProperty("reel.test.artifacts", "target/test-artifacts")));
        Path screenshot = artifacts.resolve("watch-page.png").toAbsolutePath();
        Process node = new ProcessBuilder("node", "play.mjs", front.base() + "/watch/" + video.videoId(), screenshot.toString(),
                "3")
                .directory(npmDir.toFile()).redirectError(WORK.resolve("browser.log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        String lastLine = output.strip().lines().reduce((a, b) -> b).orElse("{}");
        JsonNode result = JSON.readTree(lastLine);
        assertThat(result.path("error").isMissingNode()).as(output).isTrue();
        assertThat(result.get("currentTime").asDouble()).as(output).isGreaterThan(3.0);
        assertThat(result.get("fatalError").isNull()).as(output).isTrue();
        assertThat(result.get("levelsLoaded").asInt()).as(output).isGreaterThanOrEqualTo(1);
        assertThat(result.get("levels").size()).as(output).isEqualTo(2);
        assertThat(result.get("qualityMenu").toString()).contains("Auto", "240p", "360p");
        assertThat(result.get("title").asText()).isEqualTo(video.title());
        assertThat(result.get("views").asText()).isEqualTo("4,242");
        assertThat(screenshot).exists();
    }

    @Test
    @Order(2)
    void theDashboardSendsTheOwnersCredentialsAsHeadersNeverInTheUrl() throws Exception {
        Path npmDir = Path.of(System.getProperty("reel.browser.npm.dir", "target/npm/browser"));
        String apiKey = "owner-key-of-the-dashboard-0123";
        Process node = new ProcessBuilder("node", "analytics-owner.mjs", "stub", front.base(), video.videoId(), apiKey)
                .directory(npmDir.toFile()).redirectError(WORK.resolve("browser-analytics.log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        JsonNode result = JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
        assertThat(result.path("error").isMissingNode()).as(output).isTrue();
        assertThat(result.get("formShown").asBoolean()).as(output).isTrue();
        assertThat(result.get("plays").asText()).as("the answer is shown").isEqualTo("3");
        assertThat(result.get("keptKey").asText()).isEqualTo(apiKey);
        List<JsonNode> requests = new ArrayList<>();
        result.get("requests").forEach(requests::add);
        assertThat(requests).as(output).hasSizeGreaterThanOrEqualTo(2).allSatisfy(request -> {
            assertThat(request.get("url").asText()).startsWith(front.base() + "/api/analytics/videos/" + video.videoId())
                    .doesNotContain("token", apiKey);
            assertThat(request.get("token").asText()).isEqualTo("token-of-" + video.videoId());
        });
        assertThat(requests.getFirst().get("authorization").isNull()).as("no key before the owner gives one").isTrue();
        assertThat(requests.getLast().get("authorization").asText()).isEqualTo("Bearer " + apiKey);
    }

    @Test
    @Order(3)
    void killingAnEdgeMidStreamCostsTheClientNothing() throws Exception {
        AtomicBoolean streaming = new AtomicBoolean(true);
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger rounds = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> viewers = new ArrayList<>();
        for (int v = 0; v < 4; v++) {
            Thread viewer = Thread.ofVirtual().start(() -> {
                Http http = new Http(front.base());
                while (streaming.get()) {
                    try {
                        requests.addAndGet(streamOnce(http));
                        rounds.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            viewers.add(viewer);
        }
        Await.until("viewers streaming", Duration.ofMinutes(1), () -> rounds.get() >= 8, List.of(haproxy));
        edges.get(0).process().kill();
        int roundsAtKill = rounds.get();
        // Stream through HAProxy's detection (fall 2 x inter 1s: requests meanwhile are retried and redispatched),
        // then on the surviving edge alone.
        Await.until("HAProxy marks the killed edge DOWN", Duration.ofMinutes(1),
                () -> edgeStatus("edge-1").startsWith("DOWN"), List.of(haproxy));
        int roundsAtDown = rounds.get();
        Await.until("viewers streamed on after the kill", Duration.ofMinutes(2), () -> rounds.get() >= roundsAtDown + 20,
                List.of(haproxy));
        streaming.set(false);
        for (Thread viewer : viewers) {
            viewer.join(Duration.ofMinutes(1));
        }
        assertThat(failures).as("failed client requests out of " + requests.get()).isEmpty();
        assertThat(rounds.get()).isGreaterThanOrEqualTo(roundsAtDown + 20);

        ChildProcess survivor = edges.get(1).process();
        assertThat(survivor.stop(Duration.ofSeconds(30))).as("SIGTERM stops the edge on its own").isTrue();
        assertThat(Files.readString(survivor.logFile())).contains("edge front-door-edge-2 stopped");
    }
}
