package dev.reel.service.kafka;

import dev.reel.service.config.Env;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How a service reaches Kafka, and the client settings Reel's contract asks for: producers with
 * {@code acks=all} and idempotence, consumers that commit by hand and read only committed data.
 *
 * @param bootstrapServers {@code REEL_KAFKA_BOOTSTRAP_SERVERS} (required)
 * @param instanceId       this process's name in client ids and event sources, e.g. {@code ingest-1}
 */
public record KafkaSettings(String bootstrapServers, String instanceId) {

    public static final String BOOTSTRAP_SERVERS = "REEL_KAFKA_BOOTSTRAP_SERVERS";

    public static KafkaSettings from(Env env, String instanceId) {
        return new KafkaSettings(env.required(BOOTSTRAP_SERVERS), instanceId);
    }

    public Map<String, Object> admin() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                CommonClientConfigs.CLIENT_ID_CONFIG, instanceId + "-admin");
    }

    /** acks=all with idempotence: a retried send is written once, and only when every in-sync replica has it. */
    public Map<String, Object> producer(String purpose) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, instanceId + "-" + purpose);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return config;
    }

    /** Manual commits after processing (at-least-once); read_committed so aborted transactions never show. */
    public Map<String, Object> consumer(String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, instanceId + "-" + groupId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }
}
