package dev.reel.catalog.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/** The opaque paging cursor of {@code GET /api/catalog/videos}: the last video id of a page, base64url. */
public final class Cursors {

    private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private Cursors() {
    }

    public static String encode(String lastVideoId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastVideoId.getBytes(StandardCharsets.UTF_8));
    }

    /** The video id a cursor stands for, or empty when it is not a cursor this API gave out. */
    public static Optional<String> decode(String cursor) {
        try {
            String videoId = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return VIDEO_ID.matcher(videoId).matches() ? Optional.of(videoId) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static boolean isVideoId(String value) {
        return value != null && VIDEO_ID.matcher(value).matches();
    }
}
