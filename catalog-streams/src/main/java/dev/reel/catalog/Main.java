package dev.reel.catalog;

import dev.reel.catalog.config.CatalogConfig;
import dev.reel.service.lifecycle.ServiceRunner;
import dev.reel.service.ops.ServiceMetrics;

/** Starts one catalog-streams instance from its environment and runs until SIGTERM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ServiceRunner.run(CatalogConfig.SERVICE, CatalogConfig::from, config -> CatalogService.start(config,
                ServiceMetrics.create(CatalogConfig.SERVICE, config.kafka().instanceId())));
    }
}
