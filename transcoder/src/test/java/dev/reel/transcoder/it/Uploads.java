package dev.reel.transcoder.it;

import dev.reel.events.Envelope;
import dev.reel.events.VideoUploaded;
import dev.reel.events.Visibility;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.testkit.ClusterEndpoints;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.UploadObjectArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What ingest would do for a test: store an original and announce it on reel.uploads. */
final class Uploads implements AutoCloseable {

    private final ClusterEndpoints cluster;
    private final MinioClient s3;
    private final Producer<byte[], byte[]> producer;

    Uploads(ClusterEndpoints cluster) {
        this.cluster = cluster;
        this.s3 = cluster.s3().client();
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Creates Reel's topics, and empties reel.uploads, reel.chunks and reel.transcode: share groups of this test start
     * at the earliest upload or chunk task, its assembler at the earliest event, and none of them must redo the work of
     * the test classes that ran before in this JVM.
     */
    static void prepareTopics(ClusterEndpoints cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            new TopicBootstrap(admin, 1).ensure(Topics.all());
            List<String> topics = List.of(Topics.UPLOADS, Topics.CHUNKS, Topics.TRANSCODE);
            List<List<TopicPartition>> found = new java.util.ArrayList<>(List.of(List.of()));
            // a topic created a moment ago may not be known to every part of the broker yet
            dev.reel.cluster.Await.until("the topics to be described", java.time.Duration.ofSeconds(60), () -> {
                found.set(0, admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList());
                return true;
            }, List.of());
            var partitions = found.getFirst();
            var ends = admin
                    .listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS);
            admin.deleteRecords(ends.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                    e -> RecordsToDelete.beforeOffset(e.getValue().offset())))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static String newVideoId() {
        return "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** Stores {@code file} as the original of {@code videoId} and publishes its video.uploaded; returns the event. */
    VideoUploaded upload(String videoId, Path file, int width, int height, double seconds, boolean audio) throws Exception {
        String key = "originals/" + videoId + "/source";
        s3.uploadObject(UploadObjectArgs.builder().bucket(cluster.bucket()).object(key).filename(file.toString()).build());
        VideoUploaded uploaded = new VideoUploaded(videoId, "Test " + videoId, null, "tester", Visibility.PUBLIC,
                file.getFileName().toString(), Files.size(file), sha256(file), seconds, width, height, "h264",
                audio ? "aac" : null, key);
        send(videoId, new EventSerializer().serialize(Topics.UPLOADS, Envelope.of("ingest/it", uploaded)));
        return uploaded;
    }

    /**
     * As ingest uploads: ffprobe's answer about {@code file} stored beside it first (the worker plans from it), then
     * {@link #upload}.
     */
    VideoUploaded uploadWithIngestsProbe(String videoId, Path file, int width, int height, double seconds, boolean audio)
            throws Exception {
        byte[] json = TestVideos.run(List.of("ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
                "-show_format", file.toString())).getBytes(StandardCharsets.UTF_8);
        s3.putObject(PutObjectArgs.builder().bucket(cluster.bucket()).object(ObjectKeys.originalProbe(videoId))
                .data(json, json.length).contentType("application/json").build());
        return upload(videoId, file, width, height, seconds, audio);
    }

    /** Publishes raw bytes to reel.uploads, e.g. a record that is not an event. */
    void send(String key, byte[] value) throws Exception {
        send(Topics.UPLOADS, key, value);
    }

    /** Publishes raw bytes to a topic. */
    void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
    }

    MinioClient s3() {
        return s3;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Override
    public void close() {
        producer.close();
        try {
            s3.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
