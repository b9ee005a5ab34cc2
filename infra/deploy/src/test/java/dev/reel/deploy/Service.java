package dev.reel.deploy;

import dev.reel.analytics.config.AnalyticsConfig;
import dev.reel.catalog.config.CatalogConfig;
import dev.reel.edge.EdgeConfig;
import dev.reel.ingest.IngestConfig;
import dev.reel.service.config.Env;
import dev.reel.transcoder.TranscoderConfig;
import dev.reel.webhooks.WebhooksConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Reel's services as the deployment files see them: module, image, port variable, required settings. */
enum Service {

    INGEST("ingest/service", "reel/ingest", "REEL_INGEST_PORT",
            List.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "REEL_S3_ENDPOINT", "REEL_S3_ACCESS_KEY", "REEL_S3_SECRET_KEY",
                    "REEL_PLAYBACK_TOKEN_KEY"),
            env -> IngestConfig.from(env)), TRANSCODER("transcoder", "reel/transcoder", "REEL_TRANSCODER_PORT",
                    List.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "REEL_S3_ENDPOINT", "REEL_S3_ACCESS_KEY", "REEL_S3_SECRET_KEY"),
                    env -> TranscoderConfig.from(env)), CATALOG("catalog-streams", "reel/catalog-streams", "REEL_CATALOG_PORT",
                            List.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "REEL_CATALOG_ADVERTISED_HOST", "REEL_CATALOG_STATE_DIR",
                                    "REEL_CATALOG_REPLICATION_FACTOR"),
                            env -> CatalogConfig.from(env)), ANALYTICS("analytics-streams", "reel/analytics-streams",
                                    "REEL_ANALYTICS_PORT",
                                    List.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "REEL_ANALYTICS_ADVERTISED_HOST",
                                            "REEL_ANALYTICS_STATE_DIR",
                                            "REEL_ANALYTICS_REPLICATION_FACTOR"),
                                    env -> AnalyticsConfig.from(env)),
    // the token key is optional to the edge, but a deployment without it refuses every private video
    EDGE("edge-server", "reel/edge-server", "REEL_EDGE_PORT",
            List.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "REEL_S3_ENDPOINT", "REEL_S3_ACCESS_KEY", "REEL_S3_SECRET_KEY",
                    "REEL_PLAYBACK_TOKEN_KEY"),
            env -> EdgeConfig.from(env)), WEBHOOKS("webhooks", "reel/webhooks", "REEL_WEBHOOKS_PORT",
                    List.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "REEL_S3_ENDPOINT", "REEL_S3_ACCESS_KEY", "REEL_S3_SECRET_KEY",
                            "REEL_WEBHOOKS_SECRET_KEY"),
                    env -> WebhooksConfig.from(env));

    final String module;
    final String imageRepository;
    final String portVariable;
    final List<String> requiredInDeployment;
    private final Consumer<Env> configuration;

    Service(String module, String imageRepository, String portVariable, List<String> requiredInDeployment,
            Consumer<Env> configuration) {
        this.module = module;
        this.imageRepository = imageRepository;
        this.portVariable = portVariable;
        this.requiredInDeployment = requiredInDeployment;
        this.configuration = configuration;
    }

    /** The service an image reference runs, if it is one of Reel's ({@code reel/ingest:0.1.0} -> INGEST). */
    static Optional<Service> ofImage(String image) {
        String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
        return Arrays.stream(values()).filter(s -> s.imageRepository.equals(repository)).findFirst();
    }

    /** Runs the service's own configuration parsing on {@code variables}; throws what the service would at start. */
    void configure(Map<String, String> variables) {
        configuration.accept(new Env(variables));
    }
}
