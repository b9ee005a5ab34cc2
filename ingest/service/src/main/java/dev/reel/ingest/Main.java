package dev.reel.ingest;

import dev.reel.service.config.Env;
import dev.reel.service.config.InvalidConfigException;

/** Runs the ingest service: configuration from the environment, then {@link IngestService}, until SIGTERM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        IngestConfig config;
        try {
            config = IngestConfig.from(Env.system());
        } catch (InvalidConfigException e) {
            System.err.println("ingest: " + e.getMessage());
            System.exit(2);
            return;
        }
        IngestService service;
        try {
            service = IngestService.start(config);
        } catch (Exception e) {
            // Clients started before the failure have non-daemon threads: exit rather than hang half-started.
            org.slf4j.LoggerFactory.getLogger(Main.class).error("ingest could not start", e);
            System.exit(1);
            return;
        }
        service.shutdown().installHook().await();
    }
}
