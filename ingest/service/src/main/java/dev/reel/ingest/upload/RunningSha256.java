package dev.reel.ingest.upload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bouncycastle.crypto.SavableDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The SHA-256 of an original, computed while its bytes stream through. A single-request upload uses the JDK's
 * digest (hardware-accelerated); a resumable upload needs one whose state can be saved with the session and
 * restored by another process after a crash, which Bouncy Castle's {@link SHA256Digest} can and the JDK's cannot.
 */
public sealed interface RunningSha256 {

    void update(byte[] bytes, int offset, int length);

    /** The state to persist, or {@code null} when this digest cannot be resumed elsewhere. */
    byte[] savedState();

    /** Finishes the digest: 64 lower-case hex digits. */
    String hex();

    static RunningSha256 inMemory() {
        try {
            return new Jdk(MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static RunningSha256 resumable() {
        return new Resumable(new SHA256Digest());
    }

    /** Continues a digest from {@link #savedState()}. */
    static RunningSha256 resume(byte[] savedState) {
        return new Resumable(new SHA256Digest(savedState));
    }

    record Jdk(MessageDigest digest) implements RunningSha256 {
        @Override
        public void update(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
        }

        @Override
        public byte[] savedState() {
            return null;
        }

        @Override
        public String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    record Resumable(SavableDigest digest) implements RunningSha256 {
        @Override
        public void update(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
        }

        @Override
        public byte[] savedState() {
            return digest.getEncodedState();
        }

        @Override
        public String hex() {
            byte[] out = new byte[digest.getDigestSize()];
            digest.doFinal(out, 0);
            return HexFormat.of().formatHex(out);
        }
    }
}
