package dev.reel.edge;

import dev.reel.service.config.Env;
import dev.reel.service.config.InvalidConfigException;
import dev.reel.service.lifecycle.GracefulShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one edge server from environment variables (see the module README) and stops it cleanly on SIGTERM. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        EdgeConfig config;
        try {
            config = EdgeConfig.from(Env.system());
        } catch (InvalidConfigException e) {
            log.error("edge cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Edge edge = Edge.start(config);
        GracefulShutdown shutdown = new GracefulShutdown("edge").then("edge", edge).installHook();
        shutdown.await();
    }

}
