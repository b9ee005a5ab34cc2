package dev.reel.webhooks;

import dev.reel.service.lifecycle.ServiceRunner;

/** Runs the webhooks service: configuration from the environment, then {@link WebhooksService}, until SIGTERM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ServiceRunner.run(WebhooksConfig.SERVICE, WebhooksConfig::from, WebhooksService::start);
    }
}
