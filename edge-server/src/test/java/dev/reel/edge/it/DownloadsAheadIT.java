package dev.reel.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.edge.download.DownloadsAhead;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.topics.Topics;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.StatObjectArgs;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Downloads made ahead: an edge with {@code REEL_EDGE_DOWNLOADS_AHEAD=on} makes a video's MP4s and M4A when its record
 * turns READY, against the real broker, S3 server and ffmpeg, so the first request is served from storage without a
 * remux. Videos not READY, or with downloads off, get none; a deleted video's downloads are removed.
 */
@RealCluster
class DownloadsAheadIT {

    private static EdgeUnderTest under;

    @BeforeAll
    static void start(ClusterEndpoints endpoints) throws Exception {
        // the fleet's group starts where the catalog ends now: the records other tests published are not this test's
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
            new dev.reel.events.topics.TopicBootstrap(admin, 1).ensure(Topics.all());
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.CATALOG)).allTopicNames().get()
                    .get(Topics.CATALOG).partitions().stream().map(p -> new TopicPartition(Topics.CATALOG, p.partition()))
                    .toList();
            Map<TopicPartition, OffsetAndMetadata> ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())));
            admin.alterConsumerGroupOffsets(DownloadsAhead.GROUP, ends).all().get();
        }
        Path scratch = Files.createTempDirectory(Files.createDirectories(Path.of("target", "downloads-ahead-it")), "scratch");
        under = EdgeUnderTest.start(endpoints, "edge-downloads-ahead-it",
                Map.of("REEL_EDGE_DOWNLOADS_AHEAD", "on", "REEL_EDGE_SCRATCH_DIR", scratch.toAbsolutePath().toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (under != null) {
            under.close();
        }
    }

    @Test
    void aReadyVideosDownloadsAreStoredBeforeAnyoneAsksAndTheFirstRequestIsNoRemux() throws Exception {
        VideoRecord playable = under.video(Visibility.PUBLIC, VideoState.PLAYABLE, 2);
        // READY with downloads off in its first record (a READY record with them on would be made at once)
        String offId = TestEdges.newVideoId();
        under.ladder.upload(under.s3, under.cluster.bucket(), offId);
        VideoRecord off = under.publish(
                withDownloadsOff(under.ladder.record(offId, "Off " + offId, Visibility.PUBLIC, VideoState.READY, 2, 1)));
        VideoRecord ready = under.video(Visibility.PUBLIC, VideoState.READY, 2);
        List<String> files = List.of("240p.mp4", "360p.mp4", "audio.m4a");

        // counted once each make has finished, so the made counter read below no longer moves
        Await.until("the READY video's downloads made without a request", Duration.ofMinutes(2),
                () -> aheadStored() >= files.size(), List.of());
        assertThat(files).allMatch(file -> exists(ObjectKeys.download(ready.videoId(), file)));

        double madeBefore = metric("reel_edge_downloads_made_total");
        String path = "/v/" + ready.videoId() + "/download/360p.mp4";
        HttpResponse<byte[]> mp4 = under.http.get(path);
        assertThat(mp4.statusCode()).isEqualTo(200);
        assertThat(DownloadsAndDashIT.topLevelBoxes(mp4.body())).containsSubsequence("moov", "mdat");
        assertThat(metric("reel_edge_downloads_made_total")).as("served as stored, not made on request").isEqualTo(madeBefore);

        for (String file : files) {
            assertThat(exists(ObjectKeys.download(playable.videoId(), file))).as("not READY: " + file).isFalse();
            assertThat(exists(ObjectKeys.download(off.videoId(), file))).as("downloads off: " + file).isFalse();
        }

        // deleted (a make may finish after ingest deleted media/<id>/): its downloads are removed again
        under.catalog.tombstone(ready.videoId());
        Await.until("the deleted video's downloads removed", Duration.ofMinutes(1),
                () -> files.stream().noneMatch(file -> exists(ObjectKeys.download(ready.videoId(), file))), List.of());
        assertThat(exists(ObjectKeys.renditionFile(ready.videoId(), "240p", "init.mp4"))).as("only the downloads").isTrue();
    }

    private static VideoRecord withDownloadsOff(VideoRecord v) {
        return new VideoRecord(v.videoId(), v.title(), v.description(), v.visibility(), v.owner(), v.source(), v.state(),
                v.progressPercent(), null, v.renditions(), v.posterKey(), true, v.transitions(), Instant.now(), v.version() + 1);
    }

    private static boolean exists(String key) {
        try {
            under.s3.statObject(StatObjectArgs.builder().bucket(under.cluster.bucket()).object(key).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** {@code reel_edge_downloads_ahead_total{outcome="stored"}}. */
    private static double aheadStored() throws Exception {
        for (String line : under.http.text("/metrics").split("\n")) {
            if (line.startsWith("reel_edge_downloads_ahead_total{") && line.contains("outcome=\"stored\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static double metric(String name) throws Exception {
        for (String line : under.http.text("/metrics").split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
