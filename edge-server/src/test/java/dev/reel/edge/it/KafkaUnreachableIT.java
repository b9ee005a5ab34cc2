package dev.reel.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.cluster.KafkaCluster;
import dev.reel.cluster.KafkaClusterConfig;
import dev.reel.edge.Edge;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import io.minio.MinioClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka goes away under a serving edge: segments keep coming from the replica and the cache/storage, playback events
 * are dropped and counted, nothing waits. The broker is this test's own (the shared one serves other tests); S3 is
 * the shared real server.
 */
@RealCluster
class KafkaUnreachableIT {

    @TempDir
    Path kafkaDir;

    @SuppressWarnings("try") // MinioClient.close() declares Exception
    @Test
    void segmentsAreStillServedAndDroppedEventsCounted(ClusterEndpoints cluster) throws Exception {
        HlsLadder ladder = HlsLadder.get();
        String id = TestEdges.newVideoId();
        KafkaCluster kafka = KafkaCluster.start(KafkaClusterConfig.withFreePorts(kafkaDir, 1), kafkaDir.resolve("logs"),
                Duration.ofMinutes(2));
        Edge edge = null;
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                new TopicBootstrap(admin, 1).ensure(Topics.all());
            }
            VideoRecord video = ladder.record(id, "Kafka away", Visibility.PUBLIC, VideoState.READY, 2, 1);
            try (MinioClient s3 = cluster.s3().client();
                    CatalogPublisher catalog = new CatalogPublisher(kafka.bootstrapServers())) {
                ladder.upload(s3, cluster.bucket(), id);
                catalog.publish(video);
            }
            edge = Edge.start(TestEdges.config(cluster, kafka.bootstrapServers(), "edge-kafka-away",
                    Map.of("REEL_EDGE_PLAYBACK_BUFFER", "16")));
            Edge running = edge;
            Http http = new Http("http://127.0.0.1:" + edge.port());
            Await.until("edge ready with the video", Duration.ofMinutes(2),
                    () -> http.get("/readyz").statusCode() == 200 && running.catalog().video(id).isPresent(), List.of());
            String segment = "/v/" + id + "/360p/seg-00001.m4s";
            assertThat(http.get(segment).statusCode()).isEqualTo(200);
            Await.until("an event sent while Kafka is up", Duration.ofMinutes(1),
                    () -> http.metric("reel_edge_playback_events_sent_total") >= 1, List.of());

            kafka.close();

            for (int round = 0; round < 20; round++) {
                assertThat(http.get("/v/" + id + "/master.m3u8").statusCode()).isEqualTo(200);
                for (String rendition : HlsLadder.RENDITIONS) {
                    for (int n = 1; n <= ladder.segmentCount(rendition); n++) {
                        String file = "seg-%05d.m4s".formatted(n);
                        HttpResponse<byte[]> response = http.get("/v/" + id + "/" + rendition + "/" + file);
                        assertThat(response.statusCode()).isEqualTo(200);
                        assertThat(response.body()).isEqualTo(Files.readAllBytes(ladder.file(rendition, file)));
                    }
                }
            }
            // events handed to the producer before are retried for its one-minute delivery timeout, then counted
            Await.until("dropped playback events counted", Duration.ofMinutes(3),
                    () -> http.metric("reel_edge_playback_events_dropped_total") > 0, List.of());
            assertThat(http.get("/readyz").statusCode()).as("the replica keeps serving what it has").isEqualTo(200);
        } finally {
            if (edge != null) {
                edge.close();
            }
            kafka.close();
        }
    }
}
