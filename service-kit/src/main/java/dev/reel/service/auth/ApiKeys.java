package dev.reel.service.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys of owners, each naming its owner: {@code REEL_INGEST_API_KEYS=alice:key1,bob:key2} (ingest: uploads and
 * edits), {@code REEL_WEBHOOKS_API_KEYS} (webhooks, normally the same list).
 *
 * <p>A presented key is compared with every configured key, always all of them and in constant time (on
 * SHA-256 digests, so keys of different lengths take the same time too): the response time says nothing
 * about which key or how much of it matched.
 */
public final class ApiKeys {

    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final int MIN_KEY_LENGTH = 8;

    private record Entry(String owner, byte[] digest) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses {@code owner:key} pairs separated by commas.
     *
     * @throws IllegalArgumentException naming the first bad entry (never the key itself)
     */
    public static ApiKeys parse(List<String> pairs) {
        List<Entry> entries = new ArrayList<>();
        for (String pair : pairs) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("an API key entry must be owner:key, one had no owner");
            }
            String owner = pair.substring(0, colon).trim();
            String key = pair.substring(colon + 1).trim();
            if (!OWNER.matcher(owner).matches()) {
                throw new IllegalArgumentException("API key owner '" + owner + "' must be 1-64 characters of [A-Za-z0-9_.@-]");
            }
            if (key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException(
                        "the API key of '" + owner + "' must have at least " + MIN_KEY_LENGTH + " characters");
            }
            if (entries.stream().anyMatch(e -> MessageDigest.isEqual(e.digest(), digest(key)))) {
                throw new IllegalArgumentException("the API key of '" + owner + "' is also another owner's key");
            }
            entries.add(new Entry(owner, digest(key)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is needed");
        }
        return new ApiKeys(entries);
    }

    /**
     * The keys of an {@code owner:key,owner:key} variable; a bad or missing list is recorded as a problem of {@code env}
     * (which its {@code validate()} reports with the others) and gives {@code null}.
     */
    public static ApiKeys from(dev.reel.service.config.Env env, String variable) {
        try {
            return parse(env.list(variable, List.of()));
        } catch (IllegalArgumentException e) {
            env.problem(variable + " (owner:key,owner:key): " + e.getMessage());
            return null;
        }
    }

    /** The owner of the key in an {@code Authorization: Bearer <key>} header, or empty when missing or unknown. */
    public Optional<String> ownerOf(String authorizationHeader) {
        String key = bearerToken(authorizationHeader);
        if (key == null) {
            return Optional.empty();
        }
        byte[] presented = digest(key);
        String owner = null;
        for (Entry entry : entries) {
            // No early exit: every entry is compared whatever matched before.
            if (MessageDigest.isEqual(entry.digest(), presented)) {
                owner = entry.owner();
            }
        }
        return Optional.ofNullable(owner);
    }

    static String bearerToken(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.length() <= 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
