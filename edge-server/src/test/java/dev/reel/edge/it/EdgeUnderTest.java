package dev.reel.edge.it;

import dev.reel.cluster.Await;
import dev.reel.edge.Edge;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.testkit.ClusterEndpoints;
import io.minio.MinioClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One edge in the test JVM against the real broker and S3 server, with what its tests put around it: the real ffmpeg
 * ladder they upload where the transcoder would, the catalog records they publish as catalog-streams would, and the
 * API keys of the videos' owner and of another owner on {@code reel.keys}.
 */
final class EdgeUnderTest implements AutoCloseable {

    final ClusterEndpoints cluster;
    final MinioClient s3;
    final CatalogPublisher catalog;
    final HlsLadder ladder;
    final Edge edge;
    final Http http;

    private EdgeUnderTest(ClusterEndpoints cluster, MinioClient s3, CatalogPublisher catalog, HlsLadder ladder, Edge edge) {
        this.cluster = cluster;
        this.s3 = s3;
        this.catalog = catalog;
        this.ladder = ladder;
        this.edge = edge;
        this.http = new Http("http://127.0.0.1:" + edge.port());
    }

    /** Topics created, the ladder made, the edge started and ready. */
    static EdgeUnderTest start(ClusterEndpoints endpoints, String instanceId, Map<String, String> overrides) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
            new TopicBootstrap(admin, 1).ensure(Topics.all());
        }
        TestEdges.addKeys(endpoints.bootstrapServers(), HlsLadder.OWNER);
        EdgeUnderTest under = new EdgeUnderTest(endpoints, endpoints.s3().client(),
                new CatalogPublisher(endpoints.bootstrapServers()), HlsLadder.get(),
                Edge.start(TestEdges.config(endpoints, endpoints.bootstrapServers(), instanceId, overrides)));
        Await.until("edge ready", Duration.ofMinutes(2), () -> under.http.get("/readyz").statusCode() == 200, List.of());
        return under;
    }

    /** Uploads the ladder under a new id and publishes its record; waits until the edge's replica has it. */
    VideoRecord video(Visibility visibility, VideoState state, int readyRenditions) throws Exception {
        String id = TestEdges.newVideoId();
        ladder.upload(s3, cluster.bucket(), id);
        return publish(ladder.record(id, "Test pattern " + id, visibility, state, readyRenditions, 1));
    }

    /** Publishes a record and waits until the edge's replica has this version. */
    VideoRecord publish(VideoRecord record) throws Exception {
        catalog.publish(record);
        Await.until("replica has " + record.videoId() + " v" + record.version(), Duration.ofMinutes(1),
                () -> edge.catalog().video(record.videoId()).map(v -> v.version() == record.version()).orElse(false), List.of());
        return record;
    }

    @Override
    public void close() throws Exception {
        edge.close();
        catalog.close();
        s3.close();
    }
}
