package dev.reel.transcoder;

import dev.reel.service.config.Env;
import dev.reel.service.config.InvalidConfigException;
import dev.reel.service.lifecycle.GracefulShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one transcoder worker: configuration from the environment, the worker, the shutdown hook. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        TranscoderConfig config;
        try {
            config = TranscoderConfig.from(Env.system());
        } catch (InvalidConfigException e) {
            log.error("transcoder cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        TranscoderWorker worker = TranscoderWorker.start(config);
        GracefulShutdown shutdown = new GracefulShutdown(TranscoderConfig.SERVICE).then("worker", worker).installHook();
        shutdown.await();
    }
}
