package dev.reel.webhooks.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Endpoint signing secrets: made here ({@code whsec_} + base64 of 24 random bytes, the Standard Webhooks form; the
 * signing key is the decoded bytes), and sealed with AES-256-GCM under the service's key
 * ({@code REEL_WEBHOOKS_SECRET_KEY}) before they go into {@code reel.webhooks}, so a reader of the topic learns no
 * secret. The endpoint id is the associated data: a sealed secret copied to another endpoint does not open.
 */
public final class Secrets {

    public static final String PREFIX = "whsec_";
    private static final String SEALED_PREFIX = "v1.";
    private static final int SECRET_BYTES = 24;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** @param serviceKey {@code REEL_WEBHOOKS_SECRET_KEY}, at least 32 bytes; its SHA-256 is the AES key */
    public Secrets(byte[] serviceKey) {
        if (serviceKey.length < 32) {
            throw new IllegalArgumentException("the secret key needs at least 32 bytes");
        }
        try {
            this.key = new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(serviceKey), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A new secret, as the owner sees it once. */
    public String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The HMAC key of a secret. */
    public static byte[] signingKey(String secret) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }

    public String seal(String endpointId, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, endpointId, nonce, secret.getBytes(StandardCharsets.UTF_8));
        return SEALED_PREFIX + Base64.getEncoder()
                .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    }

    /** @throws IllegalArgumentException the value was not sealed for this endpoint with this service's key */
    public String open(String endpointId, String sealed) {
        if (!sealed.startsWith(SEALED_PREFIX)) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(SEALED_PREFIX.length()));
        if (bytes.length <= NONCE_BYTES) {
            throw new IllegalArgumentException("sealed secret too short");
        }
        byte[] nonce = java.util.Arrays.copyOf(bytes, NONCE_BYTES);
        byte[] body = java.util.Arrays.copyOfRange(bytes, NONCE_BYTES, bytes.length);
        return new String(crypt(Cipher.DECRYPT_MODE, endpointId, nonce, body), StandardCharsets.UTF_8);
    }

    private byte[] crypt(int mode, String endpointId, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("the sealed secret does not open with this key for this endpoint", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }
}
