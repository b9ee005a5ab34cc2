package dev.reel.ingest.it;

import static dev.reel.ingest.it.IngestHarness.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.VideoUploaded;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.IngestService;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with tus-js-client (npm), the reference tus client behind Uppy and browser uploads: it uploads a
 * clip in 256 KiB chunks and the video is accepted. Needs node and npm (the package is installed once under target/).
 */
@RealCluster
class TusJsClientIT {

    private static final Path NPM_DIR = Path.of("target", "tus-js");

    @TempDir
    Path work;

    @Test
    void tusJsClientUploadsAVideo(ClusterEndpoints cluster) throws Exception {
        Path script = installTusJsClient();
        IngestHarness.ensureTopics(cluster.bootstrapServers());
        TestMedia files = TestMedia.generate(work);
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(cluster.bootstrapServers(), Topics.UPLOADS);
        try (IngestService service = IngestHarness
                .start(IngestHarness.environment(cluster.bootstrapServers(), cluster.s3(), cluster.bucket()))) {
            String endpoint = "http://127.0.0.1:" + service.port() + "/api/uploads";
            Process node = new ProcessBuilder("node", script.toString(), endpoint, files.clip().toString(), ALICE_KEY,
                    "Sent by tus-js-client")
                    .redirectErrorStream(true).start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(node.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(node.exitValue()).as(output).isZero();
            assertThat(output).startsWith(endpoint + "/");

            String videoId = output.substring(output.lastIndexOf('/') + 1);
            VideoUploaded event = UploadIT.uploadedEventOn(cluster.bootstrapServers(), from, videoId);
            assertThat(event.title()).isEqualTo("Sent by tus-js-client");
            assertThat(event.filename()).isEqualTo("clip.mp4");
            assertThat(event.sha256()).isEqualTo(UploadIT.sha256(files.clip()));
        }
    }

    /** {@code npm install} of the pinned tus-js-client into target/tus-js, once. */
    private static Path installTusJsClient() throws IOException, InterruptedException {
        Files.createDirectories(NPM_DIR);
        for (String file : List.of("package.json", "upload.mjs")) {
            try (var in = TusJsClientIT.class.getResourceAsStream("/tus-js/" + file)) {
                Files.copy(in, NPM_DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(NPM_DIR.resolve("node_modules/tus-js-client"))) {
            Process npm;
            try {
                npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                        .directory(NPM_DIR.toFile())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "TusJsClientIT needs node and npm on PATH (apt-get install nodejs npm, or node 20 from nodejs.org)", e);
            }
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm install tus-js-client failed:\n" + output);
            }
        }
        return NPM_DIR.resolve("upload.mjs").toAbsolutePath();
    }
}
