package dev.reel.service.auth;

import dev.reel.service.config.Env;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed playback tokens for private videos: ingest mints one for the owner, an edge checks it without
 * calling anyone. A token is {@code <expiry epoch seconds>.<base64url HMAC-SHA256 over "videoId.expiry">},
 * so it is bound to one video and dies at its expiry. The key ({@code REEL_PLAYBACK_TOKEN_KEY}) is shared
 * by ingest and the edges.
 */
public final class PlaybackTokens {

    /** The variable every service reads the key from. */
    public static final String KEY_VARIABLE = "REEL_PLAYBACK_TOKEN_KEY";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;

    public PlaybackTokens(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the playback token key must have at least " + MIN_KEY_BYTES + " bytes, has " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /**
     * The key of {@value #KEY_VARIABLE} (UTF-8 bytes), reporting a missing (when required) or short one to {@code env};
     * {@code null} when optional and unset.
     */
    public static byte[] key(Env env, boolean required) {
        String key = required ? env.required(KEY_VARIABLE) : env.string(KEY_VARIABLE, null);
        if (key == null || key.isEmpty()) {
            return key == null ? null : new byte[0];
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_KEY_BYTES) {
            env.problem(KEY_VARIABLE + " must have at least " + MIN_KEY_BYTES + " bytes, has " + bytes.length);
        }
        return bytes;
    }

    /** A token for {@code videoId} that is valid until {@code expiry}. */
    public String mint(String videoId, Instant expiry) {
        long expires = expiry.getEpochSecond();
        return expires + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(videoId, expires));
    }

    /** Whether {@code token} was minted with this key for {@code videoId} and has not expired at {@code now}. */
    public boolean verify(String token, String videoId, Instant now) {
        if (token == null || videoId == null) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return false;
        }
        long expires;
        byte[] signature;
        try {
            expires = Long.parseLong(token, 0, dot, 10);
            signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Constant-time comparison: the time taken says nothing about how much of a forged signature matched.
        return MessageDigest.isEqual(signature, sign(videoId, expires)) && now.getEpochSecond() < expires;
    }

    private byte[] sign(String videoId, long expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((videoId + "." + expires).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
