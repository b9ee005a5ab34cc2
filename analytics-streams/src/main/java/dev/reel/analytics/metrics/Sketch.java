package dev.reel.analytics.metrics;

import com.tdunning.math.stats.MergingDigest;
import java.nio.ByteBuffer;

/**
 * A quantile sketch (a t-digest, {@code com.tdunning:t-digest}) that takes single values cheaply. The window stores
 * serialize a bucket's figures on every update, and a {@link MergingDigest} merges and sorts all its centroids each time
 * it is serialized: adding one edge latency and storing the bucket cost 4-11 µs, per request and granularity, most of
 * what analytics spent on an event. Here values wait as raw numbers in a batch of {@value #BATCH} and go into the digest
 * together; the digest's bytes are kept from its last change, so storing the figures is a copy.
 *
 * <p>Deterministic: the state (the digest as of the last batch, the values since) is exactly what the bytes hold, so a
 * sketch read back after a restart goes on exactly as the one that wrote it, and the same values in the same order give
 * the same sketch. Alternating sort is off for the same reason. Mutable, and confined to one thread.
 */
final class Sketch {

    /** t-digest's accuracy parameter: about 1% error at the median, far better at the tails. */
    static final double COMPRESSION = 100;
    /** Values kept raw before they go into the digest. */
    static final int BATCH = 64;
    private static final byte[] NO_DIGEST = new byte[0];

    /** Compressed; null until the first batch. */
    private MergingDigest digest;
    /** The digest's bytes (full precision), as of its last change. */
    private byte[] digestBytes = NO_DIGEST;
    private final long[] pending = new long[BATCH];
    private int pendingCount;

    void add(long value) {
        pending[pendingCount++] = value;
        if (pendingCount == BATCH) {
            settle();
        }
    }

    /** Adds {@code other}'s values (a merge of two partitions' or buckets' sketches). */
    void add(Sketch other) {
        if (other.digest != null) {
            digest().add(other.digest);
            refreshBytes();
        }
        for (int i = 0; i < other.pendingCount; i++) {
            add(other.pending[i]);
        }
    }

    long size() {
        return (digest == null ? 0 : digest.size()) + pendingCount;
    }

    /** The {@code q} quantile of every value added, or NaN with none; this sketch is left as it is. */
    double quantile(double q) {
        if (pendingCount == 0) {
            return digest == null ? Double.NaN : digest.quantile(q);
        }
        MergingDigest all = digest == null ? newDigest() : read(ByteBuffer.wrap(digestBytes));
        for (int i = 0; i < pendingCount; i++) {
            all.add(pending[i]);
        }
        return all.quantile(q);
    }

    int byteSize() {
        return Integer.BYTES + digestBytes.length + Integer.BYTES + pendingCount * Long.BYTES;
    }

    /** The digest's length and bytes, then the number of raw values and each. */
    void writeTo(ByteBuffer out) {
        out.putInt(digestBytes.length).put(digestBytes);
        out.putInt(pendingCount);
        for (int i = 0; i < pendingCount; i++) {
            out.putLong(pending[i]);
        }
    }

    static Sketch readFrom(ByteBuffer in) {
        Sketch sketch = new Sketch();
        int length = in.getInt();
        if (length > 0) {
            sketch.digestBytes = new byte[length];
            in.get(sketch.digestBytes);
            sketch.digest = read(ByteBuffer.wrap(sketch.digestBytes));
        }
        int count = in.getInt();
        if (count < 0 || count >= BATCH) {
            throw new IllegalArgumentException("a sketch with " + count + " raw values");
        }
        for (int i = 0; i < count; i++) {
            sketch.pending[i] = in.getLong();
        }
        sketch.pendingCount = count;
        return sketch;
    }

    private void settle() {
        MergingDigest into = digest();
        for (int i = 0; i < pendingCount; i++) {
            into.add(pending[i]);
        }
        pendingCount = 0;
        refreshBytes();
    }

    private MergingDigest digest() {
        if (digest == null) {
            digest = newDigest();
        }
        return digest;
    }

    /** Compresses the digest (serializing does) and keeps its bytes. */
    private void refreshBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(digest.byteSize());
        digest.asBytes(buffer); // full precision (asSmallBytes would round the centroids to floats)
        digestBytes = buffer.array();
    }

    private static MergingDigest newDigest() {
        MergingDigest digest = new MergingDigest(COMPRESSION);
        digest.useAlternatingSort = false;
        return digest;
    }

    private static MergingDigest read(ByteBuffer bytes) {
        MergingDigest digest = MergingDigest.fromBytes(bytes);
        digest.useAlternatingSort = false;
        return digest;
    }
}
