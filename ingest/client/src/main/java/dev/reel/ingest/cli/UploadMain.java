package dev.reel.ingest.cli;

import picocli.CommandLine;

/** Runs {@link UploadCommand} on its own: {@code java -cp ... dev.reel.ingest.cli.UploadMain FILE --title ...}. */
public final class UploadMain {

    private UploadMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new UploadCommand()).execute(args));
    }
}
