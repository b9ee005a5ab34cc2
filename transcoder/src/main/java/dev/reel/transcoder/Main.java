package dev.reel.transcoder;

import dev.reel.service.lifecycle.ServiceRunner;

/** Runs one transcoder worker until SIGTERM (configuration errors exit 2, a failed start exits 1). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ServiceRunner.run(TranscoderConfig.SERVICE, TranscoderConfig::from, TranscoderWorker::start);
    }
}
