package dev.reel.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line of a child JVM on the same Java as this one. */
public final class JavaCommand {

    private JavaCommand() {
    }

    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public static List<String> of(RuntimeClasspath classpath, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath.asArgument());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
