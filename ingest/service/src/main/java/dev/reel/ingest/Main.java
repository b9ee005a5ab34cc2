package dev.reel.ingest;

import dev.reel.service.lifecycle.ServiceRunner;

/** Runs the ingest service: configuration from the environment, then {@link IngestService}, until SIGTERM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ServiceRunner.run(IngestService.NAME, IngestConfig::from, IngestService::start);
    }
}
