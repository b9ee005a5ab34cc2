package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reel.cluster.Await;
import dev.reel.cluster.S3Endpoint;
import dev.reel.events.topics.Topics;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What viewers went through, measured twice: by the watch pages themselves (Debian's chromium, network throttled through
 * the DevTools protocol) and by analytics-streams behind the front door, read from the {@code /analytics} dashboard.
 */
final class ViewerExperience {

    /** Throttled below the lowest rendition's bit rate (240p, about 440 kbit/s at its peak), so playback stalls. */
    static final int THROTTLED_KBPS = 300;
    static final int THROTTLED_PAGES = 3;
    static final int THROTTLED_SECONDS = 30;

    private final FrontDoor front;
    private final Path npmDir;
    private final Path artifacts;
    private final Path work;
    private final MinioClient storage;
    private final String bucket;

    ViewerExperience(FrontDoor front, Properties reelEnv, Path npmDir, Path artifacts, Path work) {
        this.front = front;
        this.npmDir = npmDir;
        this.artifacts = artifacts;
        this.work = work;
        this.storage = new S3Endpoint(reelEnv.getProperty("REEL_S3_ENDPOINT"), reelEnv.getProperty("REEL_S3_ACCESS_KEY"),
                reelEnv.getProperty("REEL_S3_SECRET_KEY"), reelEnv.getProperty("REEL_S3_REGION")).client();
        this.bucket = reelEnv.getProperty("REEL_S3_BUCKET");
    }

    /** The page's own numbers of each session. */
    List<JsonNode> sessions(String mode, String url, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "qoe.mjs", mode, url));
        command.addAll(List.of(arguments));
        Process node = new ProcessBuilder(command).directory(npmDir.toFile())
                .redirectError(work.resolve("qoe-" + mode + ".log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(4, TimeUnit.MINUTES)).as("browser run finished").isTrue();
        JsonNode result = FrontDoor.JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
        assertThat(result.path("error").isMissingNode()).as(mode + ": " + result).isTrue();
        List<JsonNode> sessions = new ArrayList<>();
        result.get("sessions").forEach(sessions::add);
        return sessions;
    }

    /** The dashboard's tiles for one video once it counts {@code plays} plays; a screenshot is kept. */
    JsonNode dashboardTiles(String videoId, long plays) throws Exception {
        Path screenshot = artifacts.resolve("analytics-dashboard.png").toAbsolutePath();
        Process node = new ProcessBuilder("node", "qoe.mjs", "dashboard",
                front.base() + "/analytics?video=" + videoId + "&window=15m", Long.toString(plays), screenshot.toString())
                .directory(npmDir.toFile()).redirectError(work.resolve("qoe-dashboard.log").toFile()).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("dashboard run finished").isTrue();
        JsonNode result = FrontDoor.JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
        assertThat(result.path("error").isMissingNode()).as("dashboard: " + result).isTrue();
        assertThat(screenshot).exists();
        return result;
    }

    /** The analytics API's totals of a video over the last 15 minutes (through the front door, retried like a client). */
    JsonNode totals(String videoId) throws Exception {
        return FrontDoor.json(front.getPatiently("/api/analytics/videos/" + videoId + "?window=15m", Duration.ofSeconds(30)))
                .get("totals");
    }

    /** Waits until the video's figures say what {@code done} checks. */
    JsonNode awaitTotals(String videoId, String what, java.util.function.Predicate<JsonNode> done) {
        JsonNode[] last = new JsonNode[1];
        try {
            Await.until(videoId + ": " + what, Duration.ofMinutes(2), () -> {
                last[0] = totals(videoId);
                return done.test(last[0]);
            }, List.of());
        } catch (IllegalStateException timedOut) {
            throw new AssertionError(what + "; last figures " + last[0], timedOut);
        }
        return last[0];
    }

    /** A video whose second segment answers 404 in every rendition: removed from storage (it was never cached). */
    void breakSecondSegment(String videoId) throws Exception {
        JsonNode record = front.video(videoId).orElseThrow();
        for (JsonNode rendition : record.get("renditions")) {
            String playlist = rendition.get("playlistKey").asText();
            String key = playlist.substring(0, playlist.lastIndexOf('/') + 1) + "seg-00002.m4s";
            storage.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        }
    }

    /**
     * Event to dashboard: a play through the front door (the edge answers the master playlist once Kafka has its
     * {@code playback.started}), then the video's figures asked every 100 ms until they count it. Milliseconds each.
     */
    List<Double> freshness(String videoId, int samples) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long before = totals(videoId).get("plays").asLong();
            long started = System.nanoTime();
            HttpResponse<byte[]> master = front.get("/v/" + videoId + "/master.m3u8?session=fresh" + i + "x" + started);
            assertThat(master.statusCode()).isEqualTo(200);
            while (totals(videoId).get("plays").asLong() <= before) {
                assertThat(System.nanoTime() - started).as("play %d shown within a minute", i)
                        .isLessThan(Duration.ofMinutes(1).toNanos());
                Thread.sleep(100);
            }
            millis.add((System.nanoTime() - started) / 1e6);
        }
        return millis;
    }

    /** The {@code segment.served} events of the run, one JSON line each, for the cache policy replay (edge-server). */
    static void writeTrace(EventHistory playback, Path file) throws Exception {
        List<String> lines = playback.all().stream().filter(e -> "reel.segment.served".equals(e.type()))
                .map(e -> e.json().toString()).toList();
        Files.write(file, lines);
    }

    /** The {@code segment.served} data of a video's requests that carried one of these CMCD session ids. */
    static List<JsonNode> servedInSessions(EventHistory playback, String videoId, List<String> sessionIds) {
        return playback.of(Topics.PLAYBACK, videoId).stream().filter(e -> "reel.segment.served".equals(e.type()))
                .map(EventHistory.Event::data).filter(d -> sessionIds.contains(d.path("sessionId").asText())).toList();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static double quantile(List<Double> values, double q) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.ceil(q * sorted.size()) - 1);
    }

    static String describe(List<Double> millis) {
        return String.format(Locale.ROOT, "p50 %.0f ms, p95 %.0f ms, max %.0f ms over %d plays", median(millis),
                quantile(millis, 0.95), quantile(millis, 1.0), millis.size());
    }
}
