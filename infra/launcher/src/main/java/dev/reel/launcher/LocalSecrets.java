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
 * Credentials of the local platform, generated on first start and kept in {@code <run-dir>/secrets.properties}
 * (mode 600), so no fixed password ships with Reel and a restart keeps access to the stored objects.
 */
record LocalSecrets(String s3AccessKey, String s3SecretKey) {

    static final String FILE = "secrets.properties";

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
                properties.setProperty("s3.access-key", "reel-" + random(4));
                properties.setProperty("s3.secret-key", random(20));
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (OutputStream out = Files.newOutputStream(file)) {
                    properties.store(out, "Reel local platform credentials, generated at first start");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
        return new LocalSecrets(properties.getProperty("s3.access-key"), properties.getProperty("s3.secret-key"));
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
