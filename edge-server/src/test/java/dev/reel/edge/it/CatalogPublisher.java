package dev.reel.edge.it;

import dev.reel.events.VideoRecord;
import dev.reel.events.serde.VideoRecordSerializer;
import dev.reel.events.topics.Topics;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plays catalog-streams' part for the tests: writes VideoRecords (and tombstones) to the real reel.catalog. */
final class CatalogPublisher implements AutoCloseable {

    private final KafkaProducer<String, VideoRecord> producer;

    CatalogPublisher(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new VideoRecordSerializer());
    }

    void publish(VideoRecord record) throws Exception {
        producer.send(new ProducerRecord<>(Topics.CATALOG, record.videoId(), record)).get(30, TimeUnit.SECONDS);
    }

    void tombstone(String videoId) throws Exception {
        producer.send(new ProducerRecord<>(Topics.CATALOG, videoId, null)).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
