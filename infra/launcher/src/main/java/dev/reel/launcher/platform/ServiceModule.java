package dev.reel.launcher.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Reel service as the build leaves it: its module folder, the runtime classpath its build wrote to
 * {@code target/service.classpath}, and its main class. The launcher runs it from there, on this JDK.
 */
record ServiceModule(String name, String moduleDir, String mainClass, String heap) {

    static final ServiceModule INGEST = new ServiceModule("ingest", "ingest/service", "dev.reel.ingest.Main", "256m");
    static final ServiceModule CATALOG = new ServiceModule("catalog", "catalog-streams", "dev.reel.catalog.Main", "384m");
    static final ServiceModule TRANSCODER = new ServiceModule("transcoder", "transcoder", "dev.reel.transcoder.Main", "256m");
    static final ServiceModule EDGE = new ServiceModule("edge", "edge-server", "dev.reel.edge.Main", "512m");

    /** {@code java -cp <module>/target/classes:<its dependencies> <main>} with the given JVM heap. */
    List<String> command(Path repositoryRoot) {
        Path target = repositoryRoot.resolve(moduleDir).resolve("target");
        Path classpathFile = target.resolve("service.classpath");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(
                    "no " + classpathFile + ": build Reel first (./mvnw install -DskipTests, which infra/up does)");
        }
        try {
            String classpath = target.resolve("classes") + java.io.File.pathSeparator + Files.readString(classpathFile).trim();
            return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                    "-cp", classpath, mainClass);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
