package dev.reel.service.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One API key as the topic {@code reel.keys} holds it (compacted, keyed by {@link #keyHash}): whose it is and whether
 * it still works. The key itself is never stored, only its SHA-256: keys are 128 random bits, so the hash cannot be
 * turned back into a key, and a leaked topic lets no one in. Revoking writes the same record with {@code revoked}.
 *
 * @param keyHash lower-case hex SHA-256 of the key's UTF-8 bytes, also the Kafka record key
 * @param owner   the owner the key acts for, 1-64 of {@code [A-Za-z0-9_.@-]}, not starting with a dot
 * @param revoked whether the key was revoked
 * @param time    when it was added or revoked
 */
public record ApiKeyRecord(String keyHash, String owner, boolean revoked, Instant time) {

    /** Owners name folders of object keys ({@code open-uploads/<owner>/}), so one never starts with a dot. */
    public static final Pattern OWNER = Pattern.compile("[A-Za-z0-9_@-][A-Za-z0-9_.@-]{0,63}");
    public static final int MIN_KEY_LENGTH = 16;
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ApiKeyRecord(@JsonProperty("keyHash") String keyHash, @JsonProperty("owner") String owner,
            @JsonProperty("revoked") boolean revoked, @JsonProperty("time") Instant time) {
        if (keyHash == null || !HASH.matcher(keyHash).matches()) {
            throw new IllegalArgumentException("keyHash must be 64 lower-case hex digits");
        }
        if (owner == null || !OWNER.matcher(owner).matches()) {
            throw new IllegalArgumentException("owner must be 1-64 characters of [A-Za-z0-9_.@-]");
        }
        if (time == null) {
            throw new IllegalArgumentException("time must not be null");
        }
        this.keyHash = keyHash;
        this.owner = owner;
        this.revoked = revoked;
        this.time = time;
    }

    /** A record that lets {@code key} act for {@code owner}. */
    public static ApiKeyRecord added(String owner, String key, Instant time) {
        if (key == null || key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("an API key must have at least " + MIN_KEY_LENGTH + " characters");
        }
        return new ApiKeyRecord(hash(key), owner, false, time);
    }

    /** The same key, revoked. */
    public ApiKeyRecord revokedAt(Instant when) {
        return new ApiKeyRecord(keyHash, owner, true, when);
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ApiKeyRecord always serializes", e);
        }
    }

    /**
     * Reads a record written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException the bytes are not such a record (the reason says why, never what they held)
     */
    public static ApiKeyRecord fromJson(byte[] json) {
        try {
            ApiKeyRecord record = JSON.readValue(json, ApiKeyRecord.class);
            if (record == null) {
                throw new IllegalArgumentException("an API key record must be a JSON object");
            }
            return record;
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException bad ? bad : e;
            throw new IllegalArgumentException("not an API key record: " + cause.getClass().getSimpleName(), e);
        }
    }
}
