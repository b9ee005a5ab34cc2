package dev.reel.ingest.upload;

import dev.reel.events.Visibility;
import dev.reel.service.http.ApiException;
import java.util.Locale;
import org.eclipse.jetty.http.HttpStatus;

/**
 * What the creator says about a video when uploading it.
 *
 * @param title       required; when the client gives none, the file name without its extension
 * @param description optional
 * @param visibility  default public
 * @param filename    the client's file name, informational only (never part of a key)
 */
public record VideoDetails(String title, String description, Visibility visibility, String filename) {

    public static final int MAX_TITLE = 200;
    public static final int MAX_DESCRIPTION = 5000;
    public static final int MAX_FILENAME = 255;

    /**
     * Validates raw client fields (any may be {@code null}).
     *
     * @throws ApiException 400 naming the bad field
     */
    public static VideoDetails of(String title, String description, String visibility, String filename) {
        String name = blankToNull(filename);
        if (name != null && name.length() > MAX_FILENAME) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "filename is longer than " + MAX_FILENAME + " characters");
        }
        String effectiveTitle = blankToNull(title);
        if (effectiveTitle == null && name != null) {
            effectiveTitle = withoutExtension(name);
        }
        if (effectiveTitle == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "title is required");
        }
        return new VideoDetails(validTitle(effectiveTitle), validDescription(description),
                parseVisibility(visibility, Visibility.PUBLIC), name);
    }

    public static String validTitle(String title) {
        String trimmed = title.strip();
        if (trimmed.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "title must not be blank");
        }
        if (trimmed.length() > MAX_TITLE) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "title is longer than " + MAX_TITLE + " characters");
        }
        return trimmed;
    }

    /** A description, or {@code null} for none; an empty one stays empty (it clears the description in an edit). */
    public static String validDescription(String description) {
        if (description == null) {
            return null;
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "description is longer than " + MAX_DESCRIPTION + " characters");
        }
        return description.strip();
    }

    public static Visibility parseVisibility(String value, Visibility defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "public" -> Visibility.PUBLIC;
            case "unlisted" -> Visibility.UNLISTED;
            case "private" -> Visibility.PRIVATE;
            default -> throw new ApiException(HttpStatus.BAD_REQUEST_400,
                    "visibility must be public, unlisted or private, was '" + value + "'");
        };
    }

    private static String withoutExtension(String filename) {
        String base = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        String stem = dot > 0 ? base.substring(0, dot) : base;
        return stem.isBlank() ? null : stem;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
