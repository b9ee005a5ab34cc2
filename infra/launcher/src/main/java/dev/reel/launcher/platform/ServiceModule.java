package dev.reel.launcher.platform;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Reel service as the build leaves it: its module folder, the runtime classpath its build wrote to
 * {@code target/service.classpath}, and its main class. The launcher runs it from there, on this JDK.
 */
enum ServiceModule {
    INGEST("ingest/service", "dev.reel.ingest.Main", "256m"), CATALOG("catalog-streams", "dev.reel.catalog.Main",
            "384m"), TRANSCODER("transcoder", "dev.reel.transcoder.Main",
                    "256m"), EDGE("edge-server", "dev.reel.edge.Main", "512m"), ANALYTICS("analytics-streams",
                            "dev.reel.analytics.Main", "384m"), WEBHOOKS("webhooks", "dev.reel.webhooks.Main", "256m");

    private final String moduleDir;
    private final String mainClass;
    private final String heap;

    ServiceModule(String moduleDir, String mainClass, String heap) {
        this.moduleDir = moduleDir;
        this.mainClass = mainClass;
        this.heap = heap;
    }

    /** {@code java -cp <module>/target/classes:<its dependencies> <main>} with the module's JVM heap. */
    List<String> command(Path repositoryRoot) {
        Path target = repositoryRoot.resolve(moduleDir).resolve("target");
        Path classpathFile = target.resolve("service.classpath");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(
                    "no " + classpathFile + ": build Reel first (infra/mvn install -DskipTests, which infra/up does)");
        }
        try {
            String classpath = target.resolve("classes") + File.pathSeparator + Files.readString(classpathFile).trim();
            return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                    "-cp", classpath, mainClass);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
