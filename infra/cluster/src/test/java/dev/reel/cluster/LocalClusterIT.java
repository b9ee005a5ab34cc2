package dev.reel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's cluster keeps its data across restarts and refuses clearly what it cannot do. */
class LocalClusterIT {

    @TempDir
    Path runDir;

    @Test
    void eventsAndObjectsSurviveARestart() throws Exception {
        int kafkaPort = Ports.free();
        int s3Port = Ports.free();
        LocalCluster.Options options = new LocalCluster.Options(runDir, 1, kafkaPort, s3Port,
                LocalCluster.DEFAULT_ACCESS_KEY, LocalCluster.DEFAULT_SECRET_KEY, List.of("reel"), Duration.ofMinutes(2));
        // Fixed ports as the launcher uses them: node 1 takes kafkaPort and kafkaPort + 1.
        Ports.requireFree(kafkaPort + 1, "controller of this test");

        try (LocalCluster cluster = LocalCluster.start(options)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "video-1", "still here")).get(30, TimeUnit.SECONDS);
            }
            try (MinioClient s3 = cluster.s3Endpoint().client()) {
                byte[] body = "object kept".getBytes(StandardCharsets.UTF_8);
                s3.putObject(
                        PutObjectArgs.builder().bucket("reel").object("originals/v1/source").data(body, body.length).build());
            }
        }

        try (LocalCluster cluster = LocalCluster.start(options)) {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                TopicPartition partition = new TopicPartition("kept", 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                var records = consumer.poll(Duration.ofSeconds(20));
                assertThat(records.records(partition)).extracting(r -> r.value()).containsExactly("still here");
            }
            try (MinioClient s3 = cluster.s3Endpoint().client();
                    InputStream in = s3.getObject(GetObjectArgs.builder().bucket("reel").object("originals/v1/source").build())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("object kept");
            }
        }
    }

    @Test
    void aTakenPortIsNamedBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalCluster.Options options = new LocalCluster.Options(runDir, 1, taken.getLocalPort(), 0,
                    LocalCluster.DEFAULT_ACCESS_KEY, LocalCluster.DEFAULT_SECRET_KEY, List.of("reel"), Duration.ofMinutes(1));
            assertThatThrownBy(() -> LocalCluster.start(options))
                    .isInstanceOf(Ports.PortInUseException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("kafka-1 broker");
        }
    }

    @Test
    void aClusterFolderIsNotReusedWithAnotherBrokerCount() throws Exception {
        KafkaClusterConfig one = KafkaClusterConfig.withFreePorts(runDir.resolve("kafka"), 1);
        KafkaCluster.start(one, runDir.resolve("logs"), Duration.ofMinutes(2)).close();

        KafkaClusterConfig three = KafkaClusterConfig.withFreePorts(runDir.resolve("kafka"), 3);
        assertThatThrownBy(() -> KafkaCluster.start(three, runDir.resolve("logs"), Duration.ofMinutes(1)))
                .hasMessageContaining("holds a 1-node Kafka cluster");
    }

    @Test
    void onlyOddQuorumSizesThatReelSupports() {
        assertThatThrownBy(() -> LocalCluster.Options.forTests(runDir, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("brokers must be 1 or 3");
    }
}
