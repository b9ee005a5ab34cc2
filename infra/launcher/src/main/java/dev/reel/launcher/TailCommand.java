package dev.reel.launcher;

import dev.reel.events.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code reel tail <topic>}: prints a topic's records as they arrive, one line each, the way an analytics
 * consumer sees them. Reads without a consumer group, so it never moves anyone's offsets.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print a topic's events as they arrive (uploads, transcode, chunks, metadata, catalog, playback, dlq or a full name).")
final class TailCommand implements Callable<Integer> {

    @Parameters(index = "0",
            description = "Topic: one of uploads, transcode, chunks, metadata, catalog, playback, dlq, or reel.<name>.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record kept instead of at the end.")
    boolean fromBeginning;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:REEL_KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env REEL_KAFKA_BOOTSTRAP_SERVERS; else read from <run-dir>/reel.env).")
    String bootstrapServers;

    @Mixin
    RunFolder runFolder;

    @Override
    public Integer call() {
        String name = topic.startsWith("reel.") ? topic : "reel." + topic;
        if (Topics.all().stream().noneMatch(t -> t.name().equals(name))) {
            throw new IllegalArgumentException("unknown topic '" + topic + "': use one of "
                    + Topics.all().stream().map(t -> t.name().substring("reel.".length())).toList());
        }
        String servers = bootstrapServers != null
                ? bootstrapServers
                : runFolder.read("reel.env").getProperty("REEL_KAFKA_BOOTSTRAP_SERVERS");
        AtomicBoolean running = new AtomicBoolean(true);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.CLIENT_ID_CONFIG, "reel-tail",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(name, Duration.ofSeconds(30)).stream()
                    .map(PartitionInfo::partition).map(p -> new TopicPartition(name, p)).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.set(false);
                consumer.wakeup();
                try {
                    main.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            System.err.println(
                    "tailing " + name + " at " + servers + (fromBeginning ? " from the beginning" : "") + " (Ctrl-C stops)");
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                        System.out.println(line(record));
                    }
                    System.out.flush();
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    break;
                }
            }
        }
        return 0;
    }

    /** {@code <partition>@<offset> <time> <key> <value>}; a tombstone shows as {@code (deleted)}. */
    static String line(ConsumerRecord<String, String> record) {
        return record.partition() + "@" + record.offset() + " " + Instant.ofEpochMilli(record.timestamp()) + " "
                + record.key() + " " + (record.value() == null ? "(deleted)" : record.value().replace('\n', ' '));
    }

}
