package dev.reel.ingest.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Remembers the upload URL of a file being uploaded, so running {@code reel upload} again after an interruption
 * resumes instead of starting over: {@code <dir>/<sha256 of absolute path, size, mtime and API URL>.json}. A changed
 * file (other size or mtime) gets a new key, so stale state is never resumed into.
 */
public final class ResumeState {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private ResumeState(Path file) {
        this.file = file;
    }

    /** The state file for uploading {@code upload} to {@code apiUrl}, under {@code directory} (e.g. ~/.reel/uploads). */
    public static ResumeState of(Path directory, Path upload, URI apiUrl) throws IOException {
        Path absolute = upload.toAbsolutePath().normalize();
        String identity = absolute + "\n" + Files.size(absolute) + "\n" + Files.getLastModifiedTime(absolute).toMillis() + "\n"
                + apiUrl;
        return new ResumeState(directory.resolve(sha256(identity) + ".json"));
    }

    public Path path() {
        return file;
    }

    public Optional<URI> uploadUrl() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String url = JSON.readTree(file.toFile()).path("uploadUrl").asText("");
            return url.isEmpty() ? Optional.empty() : Optional.of(URI.create(url));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // unreadable state is no state: start a new upload
        }
    }

    /** Saves atomically (write then rename), so a crash never leaves half a state file. */
    public void save(URI uploadUrl, String videoId) throws IOException {
        Files.createDirectories(file.getParent());
        ObjectNode node = JSON.createObjectNode().put("uploadUrl", uploadUrl.toString()).put("videoId", videoId);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, node.toString(), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
