package dev.reel.events.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.Envelope;
import dev.reel.events.TranscodeProgress;
import dev.reel.events.VideoUploaded;
import dev.reel.events.Visibility;
import dev.reel.events.dlq.DeadLetterHeaders;
import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.testkit.ClusterEndpoints;
import dev.reel.testkit.RealCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events through the real broker: acks=all idempotent producers, a consumer that meets a poison record,
 * sends it to reel.dlq with its error headers, and goes on with the events after it.
 */
@RealCluster
class EventPipelineIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @BeforeAll
    static void topics(ClusterEndpoints cluster) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            new TopicBootstrap(admin, 1).ensure(Topics.all());
        }
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicAndTheConsumerGoesOn(ClusterEndpoints cluster) throws Exception {
        String videoId = "v" + UUID.randomUUID().toString().replace("-", "");
        Envelope<VideoUploaded> uploaded = Envelope.of("ingest/it", new VideoUploaded(videoId, "A title", null, "alice",
                Visibility.PUBLIC, "clip.mp4", 1_234_567, "ab".repeat(32), 10.0, 1280, 720, "h264", "aac",
                "originals/" + videoId + "/source"));
        Envelope<TranscodeProgress> before = Envelope.of("transcoder/it", new TranscodeProgress(videoId, "w1", 20.0, 2.6));
        Envelope<TranscodeProgress> first = Envelope.of("transcoder/it", new TranscodeProgress(videoId, "w1", 40.0, 2.5));
        Envelope<TranscodeProgress> second = Envelope.of("transcoder/it", new TranscodeProgress(videoId, "w1", 80.0, 2.4));
        byte[] poison = "{\"type\":\"reel.transcode.progress\",\"data\":{not json".getBytes(StandardCharsets.UTF_8);

        // Same key, same partition of reel.transcode: valid, poison, valid, valid, in this order.
        RecordMetadata poisonAt;
        try (Producer<String, Envelope<?>> events = new KafkaProducer<>(producerConfig(cluster), new StringSerializer(),
                new EventSerializer());
                Producer<String, byte[]> raw = new KafkaProducer<>(producerConfig(cluster), new StringSerializer(),
                        new ByteArraySerializer())) {
            events.send(new ProducerRecord<>(Topics.UPLOADS, videoId, uploaded)).get(30, TimeUnit.SECONDS);
            events.send(new ProducerRecord<>(Topics.TRANSCODE, videoId, before)).get(30, TimeUnit.SECONDS);
            poisonAt = raw.send(new ProducerRecord<>(Topics.TRANSCODE, videoId, poison)).get(30, TimeUnit.SECONDS);
            events.send(new ProducerRecord<>(Topics.TRANSCODE, videoId, first)).get(30, TimeUnit.SECONDS);
            events.send(new ProducerRecord<>(Topics.TRANSCODE, videoId, second)).get(30, TimeUnit.SECONDS);
        }

        List<Envelope<?>> transcode = new ArrayList<>();
        List<Envelope<?>> uploads = new ArrayList<>();
        try (KafkaConsumer<String, Envelope<?>> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + videoId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new EventDeserializer());
                Producer<byte[], byte[]> dlqProducer = new KafkaProducer<>(producerConfig(cluster), new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            DeadLetterPublisher deadLetters = new DeadLetterPublisher(dlqProducer, "events-it");
            consumer.subscribe(List.of(Topics.UPLOADS, Topics.TRANSCODE));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while ((transcode.size() < 3 || uploads.isEmpty()) && System.nanoTime() < deadline) {
                try {
                    for (ConsumerRecord<String, Envelope<?>> record : consumer.poll(Duration.ofMillis(200))) {
                        if (videoId.equals(record.key())) {
                            (record.topic().equals(Topics.UPLOADS) ? uploads : transcode).add(record.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    deadLetters.skipToDeadLetter(consumer, e, Duration.ofSeconds(30));
                }
            }
        }
        assertThat(uploads).containsExactly(uploaded);
        assertThat(transcode).containsExactly(before, first, second);

        ConsumerRecord<byte[], byte[]> dead = findDeadLetter(cluster, poisonAt);
        assertThat(dead.value()).isEqualTo(poison);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(videoId);
        assertThat(header(dead, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.TRANSCODE);
        assertThat(header(dead, DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo(Integer.toString(poisonAt.partition()));
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(MalformedEventException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE)).isNotBlank();
        assertThat(header(dead, DeadLetterHeaders.SOURCE)).isEqualTo("events-it");
    }

    private static ConsumerRecord<byte[], byte[]> findDeadLetter(ClusterEndpoints cluster, RecordMetadata poisonAt) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DLQ));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Topics.TRANSCODE.equals(header(record, DeadLetterHeaders.ORIGINAL_TOPIC))
                            && Long.toString(poisonAt.offset()).equals(header(record, DeadLetterHeaders.ORIGINAL_OFFSET))
                            && Integer.toString(poisonAt.partition())
                                    .equals(header(record, DeadLetterHeaders.ORIGINAL_PARTITION))) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError(
                "no dead letter for offset " + poisonAt.offset() + " of " + poisonAt.topic() + "-" + poisonAt.partition());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> producerConfig(ClusterEndpoints cluster) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }
}
