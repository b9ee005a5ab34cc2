package dev.reel.cluster;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds OS tools (minio, haproxy, ffmpeg) on PATH, so a missing one is reported by name before anything starts. */
public final class Executables {

    private Executables() {
    }

    public static Optional<Path> find(String executable) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, executable);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
