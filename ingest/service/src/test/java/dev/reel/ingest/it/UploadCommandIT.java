package dev.reel.ingest.it;

import static dev.reel.ingest.it.IngestHarness.ALICE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.VideoUploaded;
import dev.reel.events.topics.Topics;
import dev.reel.ingest.IngestService;
import dev.reel.ingest.cli.ResumeState;
import dev.reel.ingest.cli.UploadCommand;
import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.UploadRequest;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code reel upload} as a user runs it: re-run after an interruption, it resumes the same upload and finishes it. */
@RealCluster
class UploadCommandIT {

    @TempDir
    Path work;

    @Test
    void reRunAfterAnInterruptionResumesTheSameUpload(ClusterEndpoints cluster) throws Exception {
        IngestHarness.ensureTopics(cluster.bootstrapServers());
        TestMedia files = TestMedia.generate(Files.createDirectories(work.resolve("media")));
        Map<TopicPartition, Long> from = IngestHarness.endOffsets(cluster.bootstrapServers(), Topics.UPLOADS);
        try (IngestService service = IngestHarness
                .start(IngestHarness.environment(cluster.bootstrapServers(), cluster.s3(), cluster.bucket()))) {
            URI api = URI.create("http://127.0.0.1:" + service.port());
            Path stateDir = work.resolve("state");

            // What an interrupted earlier run left: an upload with some bytes, remembered in the state folder.
            IngestClient client = IngestHarness.client(api, ALICE_KEY, 1024 * 1024);
            URI upload = client.create(Files.size(files.clip()), new UploadRequest("From the CLI", null, null, "clip.mp4"));
            UploadIT.sendAndCut(upload, 0, Files.readAllBytes(files.clip()), 400_000);
            UploadIT.awaitOffset(client, upload, 400_000);
            String videoId = UploadIT.lastSegment(upload);
            ResumeState.of(stateDir, files.clip(), api).save(upload, videoId);

            StringWriter out = new StringWriter();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream originalErr = System.err;
            int exit;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                CommandLine command = new CommandLine(new UploadCommand());
                command.setOut(new PrintWriter(out, true));
                exit = command.execute(files.clip().toString(), "--title", "From the CLI", "--api-url", api.toString(),
                        "--api-key", ALICE_KEY,
                        "--state-dir", stateDir.toString());
            } finally {
                System.setErr(originalErr);
            }

            String progress = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(progress).isZero();
            assertThat(progress).contains("resuming " + videoId + " at 390.6 KiB").contains("100.0%", "ETA");
            assertThat(out.toString()).contains("video " + videoId, "watch  http://reel.test:8080/watch/" + videoId);
            assertThat(ResumeState.of(stateDir, files.clip(), api).uploadUrl()).as("state cleared after success").isEmpty();
            VideoUploaded event = UploadIT.uploadedEventOn(cluster.bootstrapServers(), from, videoId);
            assertThat(event.title()).isEqualTo("From the CLI");
            assertThat(event.sha256()).isEqualTo(UploadIT.sha256(files.clip()));
        }
    }
}
