package dev.reel.launcher;

import dev.reel.ingest.cli.UploadCommand;
import picocli.CommandLine.Command;

/** The {@code reel} command and its subcommands. */
@Command(name = "reel", mixinStandardHelpOptions = true, version = "reel 0.1.0",
        description = "Reel, video on demand on Kafka: run the platform on this machine, or prepare a cluster for it.",
        subcommands = {
                UpCommand.class, UploadCommand.class, StatusCommand.class, TailCommand.class, TopicsCommand.class,
                KeysCommand.class})
public final class ReelCommand {
}
