package dev.reel.catalog.config;

import dev.reel.events.streams.StreamsApp;
import java.util.Properties;

/** The Kafka Streams configuration of one catalog instance: Reel's shared {@link StreamsApp} settings. */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    public static Properties of(CatalogConfig config) {
        return new StreamsApp(config.applicationId(), config.kafka().bootstrapServers(), config.kafka().instanceId(),
                config.advertised(), config.stateDir(), config.processingGuarantee(), config.standbyReplicas(),
                config.streamThreads(), config.replicationFactor(), config.commitInterval(), config.sessionTimeout(),
                config.source()).properties();
    }
}
