package dev.reel.ingest.upload;

import dev.reel.ingest.storage.CompletedPart;
import dev.reel.ingest.storage.ObjectStore;
import dev.reel.ingest.storage.ObjectStore.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Streams bytes into an S3 multipart upload, part by part. Memory is two part buffers whatever the size of the
 * file: one fills from the request while the previous one is uploaded, so reading the client and writing to
 * storage overlap.
 *
 * <p>Bytes are hashed as they are read. When a part is stored the {@link PartListener} hears of it, in part order
 * and on the caller's thread, with the digest state at that part's end, so a resumable upload can commit its
 * session after every part.
 */
public final class PartWriter {

    /** Where parts go: an S3 multipart upload in production. */
    @FunctionalInterface
    public interface PartSink {
        /** Stores {@code data[0, length)} as part {@code number}; the array is not touched again before the future completes. */
        CompletableFuture<CompletedPart> upload(int number, byte[] data, int length);

        /** Parts of the multipart upload of {@code key}; the upload id is asked for when the first part is sent. */
        static PartSink multipart(ObjectStore store, String key, Supplier<String> uploadId) {
            return (number, data, length) -> store.uploadPart(key, uploadId.get(), number, data, length);
        }
    }

    /** Hears of every part once S3 has it. */
    public interface PartListener {
        /**
         * @param parts          every part stored so far, in order
         * @param bytesInParts   the total size of those parts
         * @param hashAtPartEnd  the digest state after the last byte of the last part ({@code null} if not resumable)
         */
        void stored(List<CompletedPart> parts, long bytesInParts, byte[] hashAtPartEnd);

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
    public void write(java.nio.ByteBuffer bytes) {
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
    public void drain() {
        awaitInFlight();
    }

    /** Sends what is buffered as the last part (S3 allows the last part to be small) and waits for every part. */
    public List<CompletedPart> finish() {
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
        return java.util.Arrays.copyOf(filling, filled);
    }

    public RunningSha256 hash() {
        return hash;
    }

    private void sendFullPart() {
        awaitInFlight();
        sendPart(filling.length);
    }

    private void sendPart(int length) {
        inFlightHashState = hash.savedState();
        inFlight = sink.upload(parts.size() + 1, filling, length);
        byte[] sent = filling;
        filling = spare != null ? spare : new byte[sent.length];
        spare = sent;
        filled = 0;
    }

    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        CompletedPart part;
        try {
            part = inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while storing a part", e);
        } catch (ExecutionException e) {
            throw new StorageException("could not store part " + (parts.size() + 1), e.getCause());
        } finally {
            inFlight = null;
        }
        parts.add(part);
        bytesInParts += part.size();
        listener.stored(List.copyOf(parts), bytesInParts, inFlightHashState);
    }
}
