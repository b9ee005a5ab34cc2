package dev.reel.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Secrets of the local platform, generated on first start and kept in {@code <run-dir>/secrets.properties}
 * (mode 600), so no fixed password ships with Reel and a restart keeps access to the stored objects, the
 * uploads' API key and the signed playback links.
 *
 * @param apiKey           the API key of the local uploader (owner {@value #LOCAL_OWNER})
 * @param playbackTokenKey the key ingest signs private playback tokens with and edges check them with
 */
record LocalSecrets(String s3AccessKey, String s3SecretKey, String apiKey, String playbackTokenKey, String webhooksSecretKey) {

    static final String FILE = "secrets.properties";
    static final String LOCAL_OWNER = "local";

    static LocalSecrets loadOrCreate(Path runDir) {
        Path file = runDir.resolve(FILE);
        Properties properties = new Properties();
        try {
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
            } else {
                Files.createDirectories(runDir);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            // Each secret is created when missing, so a run folder from an older Reel gains the new ones.
            int before = properties.size();
            properties.putIfAbsent("s3.access-key", "reel-" + random(4));
            properties.putIfAbsent("s3.secret-key", random(20));
            properties.putIfAbsent("api.key", random(16));
            properties.putIfAbsent("playback-token.key", random(32));
            properties.putIfAbsent("webhooks-secret.key", random(32));
            if (properties.size() != before) {
                try (OutputStream out = Files.newOutputStream(file)) {
                    properties.store(out, "Reel local platform secrets, generated at first start");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
        return new LocalSecrets(properties.getProperty("s3.access-key"), properties.getProperty("s3.secret-key"),
                properties.getProperty("api.key"), properties.getProperty("playback-token.key"),
                properties.getProperty("webhooks-secret.key"));
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
