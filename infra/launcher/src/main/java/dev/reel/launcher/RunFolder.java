package dev.reel.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The {@code --run-dir} option the commands share, and the files {@code reel up} leaves in that folder. */
final class RunFolder {

    @Option(names = "--run-dir", defaultValue = "${env:REEL_RUN_DIR:-.reel}",
            description = "Folder for data, logs and generated secrets (env REEL_RUN_DIR, default ${DEFAULT-VALUE}).")
    private Path dir;

    Path path() {
        return dir.toAbsolutePath().normalize();
    }

    /** A properties file {@code reel up} wrote here, or a clear error when the platform never started in this folder. */
    Properties read(String file) {
        Path path = path().resolve(file);
        if (!Files.exists(path)) {
            throw new IllegalStateException(
                    "no " + path + ": is the platform up (infra/up)? Use --run-dir for another run folder");
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(path)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        return properties;
    }
}
