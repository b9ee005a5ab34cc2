package dev.reel.edge;

import dev.reel.service.lifecycle.ServiceRunner;

/** Starts one edge server from environment variables (see the module README) and stops it cleanly on SIGTERM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ServiceRunner.run(EdgeConfig.SERVICE, EdgeConfig::from, Edge::start);
    }
}
