package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reel.cluster.Await;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.client.UploadListener;
import dev.reel.launcher.ReelPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the test suite (run it by name, see the transcoder README): last byte of an upload -> PLAYABLE on the
 * platform as {@code reel up} runs it by default (1 broker, S3, ingest, 2 transcoders, catalog, edge, HAProxy), through
 * its front door: a 60 s 1080p standard upload (several times), a 60 s 1080p HEVC upload (nothing plays it as it is: its
 * lowest rung is encoded first) and a 10 min 1080p standard upload, each after the one before is READY. PLAYABLE is what a viewer who reloads sees:
 * the catalog lists a rendition with pictures and the edge serves its playlist. Where the time goes is read from the
 * topics: the ingest's {@code reel.video.uploaded} (after its probe of the whole file) and the transcoder's first
 * {@code reel.rendition.ready} with pictures.
 */
class PublishBenchmark {

    @TempDir
    static Path runDir;
    @TempDir
    static Path work;

    private final int standardRounds = Integer.getInteger("bench.rounds", 3);
    private final int longSeconds = Integer.getInteger("bench.long.seconds", 600);

    @Test
    void lastByteToPlayable() throws Exception {
        Videos videos = new Videos(work, "unused", "unused");
        Path standard = videos.standard("standard-60s-1080p", 60, 1080);
        Path hevc = videos.hevc("hevc-60s-1080p", 60, 1080);
        Path longer = videos.standard("standard-" + longSeconds + "s-1080p", longSeconds, 1080);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Publish benchmark: reel up (defaults: 2 transcoders), %d cores, load average "
                + "at start %s", Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).strip()));
        lines.add(
                "upload                         size MB  last byte -> uploaded event  -> first picture event  -> PLAYABLE (served)");
        try (ReelPlatform platform = ReelPlatform.start(runDir)) {
            FrontDoor front = new FrontDoor(platform.frontDoor());
            Videos uploads = new Videos(work, platform.frontDoor(), platform.apiKey());
            for (int i = 0; i < standardRounds; i++) {
                lines.add(measure(platform, front, uploads, standard, "60 s 1080p standard #" + (i + 1), true));
            }
            lines.add(measure(platform, front, uploads, hevc, "60 s 1080p HEVC", true));
            lines.add(measure(platform, front, uploads, longer, longSeconds + " s 1080p standard", false));
        }
        String report = String.join("\n", lines) + "\n";
        System.out.println(report);
        Path out = Path.of(System.getProperty("reel.test.artifacts", "target"), "publish-benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static String measure(ReelPlatform platform, FrontDoor front, Videos uploads, Path source, String label,
            boolean awaitReady) throws Exception {
        long[] lastByteAt = {0};
        String video = uploads.upload(source, label, new UploadListener() {
            @Override
            public void sending(long sent, long total) {
                if (sent == total) {
                    lastByteAt[0] = System.currentTimeMillis(); // the upload's last byte is out (again, if retried)
                }
            }
        });
        long servedAt = 0;
        while (servedAt == 0) {
            assertThat(System.currentTimeMillis() - lastByteAt[0]).as(label + " playable within 10 min").isLessThan(600_000);
            JsonNode record = front.video(video).orElse(null);
            String first = record == null ? null : firstPicture(record);
            if (first != null && front.get("/v/" + video + "/" + first + "/index.m3u8").statusCode() == 200) {
                servedAt = System.currentTimeMillis();
            } else {
                Thread.sleep(50);
            }
        }
        if (awaitReady) { // the next upload is measured alone: its tasks would otherwise queue behind this one's ladder
            Await.until(label + " READY", Duration.ofMinutes(30),
                    () -> "READY".equals(front.video(video).map(v -> v.get("state").asText()).orElse("")), List.of());
        }
        PublishEvents events = PublishEvents.of(
                EventHistory.read(platform.bootstrapServers(), List.of(Topics.UPLOADS, Topics.TRANSCODE)), video);
        return String.format(Locale.ROOT, "%-30s %8.0f %26.2f s %22.2f s %20.2f s", label, Files.size(source) / 1e6,
                (events.uploadedAt() - lastByteAt[0]) / 1000.0, (events.firstPictureAt() - lastByteAt[0]) / 1000.0,
                (servedAt - lastByteAt[0]) / 1000.0);
    }

    /** The record's first rendition with pictures, or {@code null} before there is one. */
    private static String firstPicture(JsonNode record) {
        for (JsonNode rendition : record.get("renditions")) {
            if (!"audio".equals(rendition.path("kind").asText())) {
                return rendition.get("name").asText();
            }
        }
        return null;
    }
}
