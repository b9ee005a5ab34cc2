package dev.reel.catalog;

import dev.reel.catalog.config.CatalogConfig;
import dev.reel.service.config.Env;
import dev.reel.service.config.InvalidConfigException;
import dev.reel.service.lifecycle.GracefulShutdown;
import dev.reel.service.ops.ServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one catalog-streams instance from its environment and runs until SIGTERM. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CatalogConfig config;
        try {
            config = CatalogConfig.from(Env.system());
        } catch (InvalidConfigException e) {
            log.error("catalog-streams cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMeterRegistry registry = ServiceMetrics.create(CatalogConfig.SERVICE, config.kafka().instanceId());
        CatalogService service = CatalogService.start(config, registry);
        new GracefulShutdown(CatalogConfig.SERVICE)
                .then("catalog", service)
                .installHook()
                .await();
    }
}
