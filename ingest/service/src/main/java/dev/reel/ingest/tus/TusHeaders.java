package dev.reel.ingest.tus;

import dev.reel.service.http.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;

/** The tus 1.0 headers: names, values and their parsing. Every malformed value is a 400 naming the header. */
public final class TusHeaders {

    public static final String TUS_RESUMABLE = "Tus-Resumable";
    public static final String TUS_VERSION = "Tus-Version";
    public static final String TUS_EXTENSION = "Tus-Extension";
    public static final String TUS_MAX_SIZE = "Tus-Max-Size";
    public static final String TUS_CHECKSUM_ALGORITHM = "Tus-Checksum-Algorithm";
    public static final String UPLOAD_LENGTH = "Upload-Length";
    public static final String UPLOAD_OFFSET = "Upload-Offset";
    public static final String UPLOAD_METADATA = "Upload-Metadata";
    public static final String UPLOAD_EXPIRES = "Upload-Expires";
    public static final String UPLOAD_CHECKSUM = "Upload-Checksum";
    public static final String UPLOAD_DEFER_LENGTH = "Upload-Defer-Length";

    public static final String VERSION = "1.0.0";
    public static final String EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum";
    public static final String CHECKSUM_ALGORITHMS = "sha256";
    public static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    /** The tus checksum extension's status for a chunk whose checksum does not match (not an HTTP standard one). */
    public static final int CHECKSUM_MISMATCH_460 = 460;

    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    private static final Pattern METADATA_KEY = Pattern.compile("[^\\s,]+");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** A checksum the client sent for the body of one PATCH. */
    public record Checksum(String algorithm, byte[] digest) {
    }

    private TusHeaders() {
    }

    /** A non-negative integer header ({@code Upload-Length}, {@code Upload-Offset}). */
    public static long nonNegative(String name, String value) {
        if (value == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, name + " header is required");
        }
        if (!DIGITS.matcher(value.strip()).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, name + " must be a non-negative integer, was '" + value + "'");
        }
        return Long.parseLong(value.strip());
    }

    /**
     * {@code Upload-Metadata}: comma-separated {@code key base64value} pairs (the value may be absent), keys unique.
     * Values are UTF-8 text here (title, filename...).
     */
    public static Map<String, String> metadata(String header) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return metadata;
        }
        for (String pair : header.split(",")) {
            String[] parts = pair.strip().split(" ", -1);
            if (parts.length > 2 || !METADATA_KEY.matcher(parts[0]).matches()) {
                throw new ApiException(HttpStatus.BAD_REQUEST_400,
                        "Upload-Metadata must be 'key base64value' pairs separated by commas");
            }
            String key = parts[0];
            if (metadata.containsKey(key)) {
                throw new ApiException(HttpStatus.BAD_REQUEST_400, "Upload-Metadata has the key '" + key + "' twice");
            }
            metadata.put(key, parts.length == 2 ? decodeText(key, parts[1]) : "");
        }
        return metadata;
    }

    /** {@code Upload-Checksum: sha256 <base64 digest>}, or {@code null} when absent. */
    public static Checksum checksum(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.strip().split(" ");
        if (parts.length != 2) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "Upload-Checksum must be '<algorithm> <base64 digest>'");
        }
        if (!"sha256".equalsIgnoreCase(parts[0])) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400,
                    "unsupported checksum algorithm '" + parts[0] + "' (supported: " + CHECKSUM_ALGORITHMS + ")");
        }
        try {
            byte[] digest = Base64.getDecoder().decode(parts[1]);
            if (digest.length != 32) {
                throw new ApiException(HttpStatus.BAD_REQUEST_400, "a sha256 Upload-Checksum has 32 bytes");
            }
            return new Checksum("sha256", digest);
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "Upload-Checksum is not valid base64");
        }
    }

    /** An {@code Upload-Expires} value: an RFC 7231 HTTP date. */
    public static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant);
    }

    private static String decodeText(String key, String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "Upload-Metadata value of '" + key + "' is not valid base64");
        } catch (CharacterCodingException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "Upload-Metadata value of '" + key + "' is not UTF-8 text");
        }
    }
}
