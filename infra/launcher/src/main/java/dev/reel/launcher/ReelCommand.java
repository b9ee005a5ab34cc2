package dev.reel.launcher;

import picocli.CommandLine.Command;

/** The {@code reel} command and its subcommands. */
@Command(name = "reel",
        mixinStandardHelpOptions = true,
        version = "reel 0.1.0",
        description = "Reel, video on demand on Kafka: run the platform on this machine, or prepare a cluster for it.",
        subcommands = {UpCommand.class, TopicsCommand.class, TailCommand.class})
public final class ReelCommand {}
