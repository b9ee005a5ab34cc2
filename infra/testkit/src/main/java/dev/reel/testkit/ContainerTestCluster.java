package dev.reel.testkit;

import dev.reel.cluster.KafkaClusterConfig;
import dev.reel.cluster.LocalCluster;
import dev.reel.cluster.S3Endpoint;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The cluster as containers, for machines with a Docker engine (none runs where Reel's CI runs, so this
 * path is kept small: the same endpoints, the same broker settings as the embedded path).
 */
final class ContainerTestCluster implements RealClusterExtension.TestCluster {

    private final KafkaContainer kafka;
    private final MinIOContainer minio;

    private ContainerTestCluster(KafkaContainer kafka, MinIOContainer minio) {
        this.kafka = kafka;
        this.minio = minio;
    }

    @SuppressWarnings("resource") // closed by close()
    static ContainerTestCluster start() {
        Properties images = images();
        KafkaContainer kafka = new KafkaContainer(images.getProperty("kafka"))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        KafkaClusterConfig.TEST_BROKER_SETTINGS.forEach((key, value) -> kafka.withEnv(
                "KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        MinIOContainer minio = new MinIOContainer(images.getProperty("minio"))
                .withUserName(LocalCluster.DEFAULT_ACCESS_KEY)
                .withPassword(LocalCluster.DEFAULT_SECRET_KEY);
        kafka.start();
        minio.start();
        ContainerTestCluster cluster = new ContainerTestCluster(kafka, minio);
        try (MinioClient client = cluster.s3().client()) {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(LocalCluster.DEFAULT_BUCKET).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(LocalCluster.DEFAULT_BUCKET).build());
            }
        } catch (Exception e) {
            cluster.close();
            throw new IllegalStateException("cannot create the test bucket in the MinIO container", e);
        }
        return cluster;
    }

    private S3Endpoint s3() {
        return new S3Endpoint(minio.getS3URL(), minio.getUserName(), minio.getPassword(), S3Endpoint.DEFAULT_REGION);
    }

    @Override
    public ClusterEndpoints endpoints() {
        return new ClusterEndpoints(kafka.getBootstrapServers(), s3(), LocalCluster.DEFAULT_BUCKET);
    }

    @Override
    public void close() {
        minio.stop();
        kafka.stop();
    }

    private static Properties images() {
        Properties images = new Properties();
        try (InputStream in = ContainerTestCluster.class.getResourceAsStream("images.properties")) {
            images.load(in);
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
