package dev.reel.launcher;

import picocli.CommandLine;

/** Entry point of the {@code reel} command line (infra/reel). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // A classpath may also carry a service's logback.xml (the launcher's tests put the services on it): name ours.
        System.setProperty("logback.configurationFile", "reel-logback.xml");
        CommandLine commandLine = new CommandLine(new ReelCommand())
                // A bad setting or a taken port is the user's to fix: one clear line, no stack trace.
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                        cmd.getErr().println("reel: " + e.getMessage());
                        return CommandLine.ExitCode.USAGE;
                    }
                    throw e;
                });
        System.exit(commandLine.execute(args));
    }
}
