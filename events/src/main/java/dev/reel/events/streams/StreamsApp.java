package dev.reel.events.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The Kafka Streams configuration every Reel Streams app shares: its identity and interactive-query address, state,
 * guarantee and scale, Reel's producer contract, and poison records to {@code reel.dlq} through
 * {@link DeadLetterDeserializationHandler} and {@link DeadLetterProcessingHandler}.
 *
 * @param applicationId       consumer group and internal topic prefix; every instance of one app shares it
 * @param bootstrapServers    Kafka
 * @param instanceId          client id
 * @param server              {@code application.server}: where the other instances reach this one
 * @param stateDir            RocksDB stores and checkpoints
 * @param processingGuarantee {@code exactly_once_v2} or {@code at_least_once}
 * @param standbyReplicas     warm copies of each store on other instances
 * @param streamThreads       stream threads of this instance
 * @param replicationFactor   of internal topics, -1 = broker default
 * @param commitInterval      how often a transaction commits
 * @param sessionTimeout      how soon a dead instance's partitions move
 * @param deadLetterSource    the process named in dead-letter headers, e.g. {@code catalog-streams/catalog-1}
 */
public record StreamsApp(
        String applicationId,
        String bootstrapServers,
        String instanceId,
        HostInfo server,
        Path stateDir,
        String processingGuarantee,
        int standbyReplicas,
        int streamThreads,
        int replicationFactor,
        Duration commitInterval,
        Duration sessionTimeout,
        String deadLetterSource) {

    public Properties properties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.CLIENT_ID_CONFIG, instanceId);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server.host() + ":" + server.port());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        // Global stores (analytics' catalog table) dead-letter the same way (the default from Kafka 5.0).
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(DeadLetters.SOURCE_CONFIG, deadLetterSource);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) sessionTimeout.toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) Math.max(1_000, sessionTimeout.toMillis() / 3));
        // Reel's producer contract; exactly_once_v2 implies both, at_least_once (a benchmark's baseline) does not.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return props;
    }
}
