package dev.reel.ingest.upload;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Video ids: 16 random bytes as base64url without padding (22 URL-safe characters), never taken from the client. */
public final class VideoIds {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{11,128}");

    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a path segment can be a video id at all (so it is safe to put in a key). */
    public static boolean isWellFormed(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }
}
