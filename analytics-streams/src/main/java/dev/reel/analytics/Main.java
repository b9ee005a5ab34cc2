package dev.reel.analytics;

import dev.reel.analytics.config.AnalyticsConfig;
import dev.reel.service.lifecycle.ServiceRunner;

/** Starts one analytics-streams instance from its environment and runs until SIGTERM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ServiceRunner.run(AnalyticsConfig.SERVICE, AnalyticsConfig::from, AnalyticsService::start);
    }
}
