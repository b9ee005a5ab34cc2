package dev.reel.ingest.upload;

import dev.reel.service.storage.CompletedPart;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;

/**
 * Streams bytes into an S3 multipart upload, part by part. Memory is two part buffers whatever the size of the
 * file: one fills from the request while the previous one is uploaded, so reading the client and writing to
 * storage overlap.
 *
 * <p>Bytes are hashed as they are read. When a part is stored the {@link PartListener} hears of it, in part order
 * and on the caller's thread, with the digest state at that part's end, so a resumable upload can commit its
 * session after every part.
 *
 * <p>A part that cannot be stored fails the call that waits for it with a {@link StorageException}: an
 * {@link IOException} like a client that went away, so a caller that tells them apart catches it first.
 */
public final class PartWriter {

    /** Where parts go: an S3 multipart upload in production. */
    @FunctionalInterface
    public interface PartSink {
        /**
         * Stores {@code data[0, length)} as part {@code number}; the array is not touched again before the future
         * completes. The future fails with a {@link StorageException} (wrapped as futures do).
         */
        CompletableFuture<CompletedPart> upload(int number, byte[] data, int length) throws StorageException;

        /** Parts of the multipart upload of {@code key}; the upload id is asked for when the first part is sent. */
        static PartSink multipart(ObjectStorage storage, String key, UploadId uploadId) {
            return (number, data, length) -> storage.uploadPart(key, uploadId.get(), number, data, length);
        }
    }

    /** The id of the multipart upload the parts belong to (which may start it). */
    @FunctionalInterface
    public interface UploadId {
        String get() throws StorageException;
    }

    /** Hears of every part once S3 has it. */
    public interface PartListener {
        /**
         * @param parts          every part stored so far, in order
         * @param bytesInParts   the total size of those parts
         * @param hashAtPartEnd  the digest state after the last byte of the last part ({@code null} if not resumable)
         */
        void stored(List<CompletedPart> parts, long bytesInParts, byte[] hashAtPartEnd) throws StorageException;

        /** For a writer whose caller does not need to hear of parts as they are stored (one-request uploads). */
        PartListener NONE = (parts, bytesInParts, hashAtPartEnd) -> {
        };
    }

    private final PartSink sink;
    private final RunningSha256 hash;
    private final PartListener listener;
    private final LongConsumer bytesRead;
    private final List<CompletedPart> parts;
    private long bytesInParts;
    private long received;

    private byte[] filling;
    private byte[] spare;
    private int filled;
    private CompletableFuture<CompletedPart> inFlight;
    private byte[] inFlightHashState;

    /**
     * @param existing  parts stored by earlier requests of a resumable upload
     * @param bytesRead told of every read from the client (for metrics)
     */
    public PartWriter(PartSink sink, int partSize, List<CompletedPart> existing, RunningSha256 hash, PartListener listener,
            LongConsumer bytesRead) {
        this.sink = sink;
        this.hash = hash;
        this.listener = listener;
        this.bytesRead = bytesRead;
        this.parts = new ArrayList<>(existing);
        this.bytesInParts = existing.stream().mapToLong(CompletedPart::size).sum();
        this.received = bytesInParts;
        this.filling = new byte[partSize];
    }

    /** Puts bytes received earlier (a resumable upload's staged tail) in front of what comes next, without hashing them again. */
    public void preload(byte[] staged) {
        if (staged.length > filling.length) {
            throw new IllegalArgumentException("a staged tail is smaller than a part");
        }
        System.arraycopy(staged, 0, filling, 0, staged.length);
        filled = staged.length;
        received += staged.length;
    }

    /**
     * Reads from {@code in} until its end or until {@code limit} bytes were read, storing every full part. On an
     * {@link IOException} from {@code in} (the client went away) every byte read before it is kept: hashed and
     * buffered or stored.
     *
     * @return the number of bytes read
     */
    public long transferFrom(InputStream in, long limit) throws IOException {
        long total = 0;
        while (total < limit) {
            if (filled == filling.length) {
                sendFullPart();
            }
            if (inFlight != null && listener != PartListener.NONE && (inFlight.isDone() || in.available() == 0)) {
                // The next read may wait for a slow client: take the stored part first, so a resumable upload
                // commits it now rather than after the client's next bytes (which may never come). Without a
                // listener, keep reading while the part uploads.
                awaitInFlight();
            }
            int n = in.read(filling, filled, (int) Math.min(filling.length - filled, limit - total));
            if (n < 0) {
                break;
            }
            hash.update(filling, filled, n);
            filled += n;
            total += n;
            received += n;
            bytesRead.accept(n);
        }
        if (filled == filling.length) {
            sendFullPart();
        }
        return total;
    }

    /** Takes bytes pushed by a parser (a multipart/form-data file part), storing every full part. */
    public void write(ByteBuffer bytes) throws StorageException {
        while (bytes.hasRemaining()) {
            if (filled == filling.length) {
                sendFullPart();
            }
            int n = Math.min(bytes.remaining(), filling.length - filled);
            bytes.get(filling, filled, n);
            hash.update(filling, filled, n);
            filled += n;
            received += n;
            bytesRead.accept(n);
        }
    }

    /** Every byte taken so far (stored, in flight or buffered), including a preloaded tail. */
    public long received() {
        return received;
    }

    /** Waits for the part in flight, so {@link #parts()} and {@link #buffered()} describe everything received. */
    public void drain() throws StorageException {
        awaitInFlight();
    }

    /** Sends what is buffered as the last part (S3 allows the last part to be small) and waits for every part. */
    public List<CompletedPart> finish() throws StorageException {
        awaitInFlight();
        if (filled > 0 || parts.isEmpty()) {
            sendPart(filled);
            awaitInFlight();
        }
        return List.copyOf(parts);
    }

    public List<CompletedPart> parts() {
        return List.copyOf(parts);
    }

    public long bytesInParts() {
        return bytesInParts;
    }

    /** The bytes read but not yet in a part (only meaningful after {@link #drain()}). */
    public byte[] buffered() {
        return Arrays.copyOf(filling, filled);
    }

    public RunningSha256 hash() {
        return hash;
    }

    private void sendFullPart() throws StorageException {
        awaitInFlight();
        sendPart(filling.length);
    }

    private void sendPart(int length) throws StorageException {
        inFlightHashState = hash.savedState();
        inFlight = sink.upload(parts.size() + 1, filling, length);
        byte[] sent = filling;
        filling = spare != null ? spare : new byte[sent.length];
        spare = sent;
        filled = 0;
    }

    private void awaitInFlight() throws StorageException {
        if (inFlight == null) {
            return;
        }
        CompletedPart part;
        try {
            part = stored(inFlight, parts.size() + 1);
        } finally {
            inFlight = null;
        }
        parts.add(part);
        bytesInParts += part.size();
        listener.stored(List.copyOf(parts), bytesInParts, inFlightHashState);
    }

    /** Waits for one part upload; its failure, unwrapped from the future, is the storage failure. */
    public static CompletedPart stored(CompletableFuture<CompletedPart> upload, int number) throws StorageException {
        try {
            return upload.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageException.Kind.UNAVAILABLE, "interrupted while storing part " + number, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StorageException failure
                    ? failure
                    : new StorageException(StorageException.Kind.UNAVAILABLE, "could not store part " + number, e.getCause());
        }
    }
}
