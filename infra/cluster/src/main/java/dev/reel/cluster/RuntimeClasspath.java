package dev.reel.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The classpath of a runtime (Kafka broker, S3Proxy) as the build resolved it, read from the file the
 * runtime's module wrote into its jar. Entries are jars in the local Maven repository.
 */
public record RuntimeClasspath(String name, List<Path> entries) {

    public RuntimeClasspath {
        entries = List.copyOf(entries);
    }

    public static RuntimeClasspath kafkaBroker() {
        return load("kafka-broker");
    }

    public static RuntimeClasspath s3proxy() {
        return load("s3proxy");
    }

    private static RuntimeClasspath load(String name) {
        String resource = "dev/reel/runtime/" + name + ".classpath";
        try (InputStream in = RuntimeClasspath.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing " + resource + " on the classpath: build the project first (infra/mvn install)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return new RuntimeClasspath(name, Arrays.stream(text.split(java.io.File.pathSeparator)).map(Path::of).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The classpath argument for {@code java -cp}, after checking every jar is still there. */
    public String asArgument() {
        List<Path> missing = entries.stream().filter(p -> !Files.isRegularFile(p)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "the " + name + " runtime misses " + missing.size() + " jar(s), e.g. " + missing.get(0)
                            + ": rebuild with infra/mvn install so Maven fetches them again");
        }
        return String.join(java.io.File.pathSeparator, entries.stream().map(Path::toString).toList());
    }
}
