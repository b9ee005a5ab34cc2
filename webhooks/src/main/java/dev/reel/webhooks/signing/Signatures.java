package dev.reel.webhooks.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs deliveries the way the Standard Webhooks specification does (standardwebhooks.com), so receivers can use its
 * libraries or the few lines in the module README: {@code webhook-id} (the event id), {@code webhook-timestamp} (Unix
 * seconds of the attempt) and {@code webhook-signature}: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">},
 * one per valid secret, separated by spaces (two while a rotated-out secret is still valid).
 */
public final class Signatures {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private Signatures() {
    }

    /** The {@code webhook-signature} value: one {@code v1,...} per signing key, in order. */
    public static String header(List<byte[]> keys, String id, long timestampSeconds, byte[] body) {
        return keys.stream().map(key -> "v1," + sign(key, id, timestampSeconds, body)).collect(Collectors.joining(" "));
    }

    /** Base64 HMAC-SHA256 of {@code id.timestamp.body}. */
    public static String sign(byte[] key, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
