package dev.reel.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.service.storage.CompletedPart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Part buffering without storage: parts of the configured size, in order, the remainder kept, the hash over everything. */
class PartWriterTest {

    private static final int PART = 1000;

    private final List<byte[]> stored = new ArrayList<>();
    private final List<Long> committedOffsets = new ArrayList<>();

    private final PartWriter.PartSink sink = (number, data, length) -> {
        assertThat(number).isEqualTo(stored.size() + 1);
        stored.add(Arrays.copyOf(data, length));
        return CompletableFuture.completedFuture(new CompletedPart(number, "etag-" + number, length));
    };

    private PartWriter writer(List<CompletedPart> existing, RunningSha256 hash) {
        return new PartWriter(sink, PART, existing, hash, (parts, bytesInParts, hashAtEnd) -> committedOffsets.add(bytesInParts),
                n -> {
                });
    }

    @Test
    void splitsAStreamIntoFullPartsAndALastSmallOne() throws IOException {
        byte[] data = random(3500);
        PartWriter writer = writer(List.of(), RunningSha256.inMemory());
        assertThat(writer.transferFrom(new ByteArrayInputStream(data), Long.MAX_VALUE)).isEqualTo(3500);
        writer.drain();
        assertThat(stored).hasSize(3).allMatch(part -> part.length == PART);
        assertThat(writer.buffered()).hasSize(500);
        assertThat(committedOffsets).containsExactly(1000L, 2000L, 3000L);

        List<CompletedPart> parts = writer.finish();
        assertThat(parts).extracting(CompletedPart::size).containsExactly(1000L, 1000L, 1000L, 500L);
        assertThat(concat(stored)).isEqualTo(data);
        assertThat(writer.hash().hex()).isEqualTo(sha256(data));
    }

    @Test
    void stopsAtTheLimitAndTakesPushedBuffers() throws IOException {
        byte[] data = random(2500);
        PartWriter writer = writer(List.of(), RunningSha256.inMemory());
        assertThat(writer.transferFrom(new ByteArrayInputStream(data), 1200)).isEqualTo(1200);
        writer.write(ByteBuffer.wrap(data, 1200, 1300));
        assertThat(writer.received()).isEqualTo(2500);
        writer.finish();
        assertThat(concat(stored)).isEqualTo(data);
    }

    @Test
    void keepsEveryByteReadBeforeTheClientWentAway() throws IOException {
        byte[] data = random(1700);
        InputStream cut = new InputStream() {
            private int position;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= data.length) {
                    throw new IOException("connection reset");
                }
                int n = Math.min(len, Math.min(300, data.length - position));
                System.arraycopy(data, position, b, off, n);
                position += n;
                return n;
            }
        };
        PartWriter writer = writer(List.of(), RunningSha256.inMemory());
        try {
            writer.transferFrom(cut, Long.MAX_VALUE);
        } catch (IOException expected) {
            // the writer keeps what it read
        }
        writer.drain();
        assertThat(writer.received()).isEqualTo(1700);
        assertThat(writer.bytesInParts() + writer.buffered().length).isEqualTo(1700);
    }

    @Test
    void resumesAfterEarlierPartsWithAStagedTail() throws IOException {
        byte[] data = random(2600);
        // An earlier request stored part 1 and left 300 bytes staged.
        RunningSha256 earlier = RunningSha256.resumable();
        earlier.update(data, 0, 1300);
        stored.add(Arrays.copyOf(data, 1000));
        PartWriter writer = writer(List.of(new CompletedPart(1, "etag-1", 1000)), RunningSha256.resume(earlier.savedState()));
        writer.preload(Arrays.copyOfRange(data, 1000, 1300));
        writer.transferFrom(new ByteArrayInputStream(data, 1300, 1300), Long.MAX_VALUE);
        writer.finish();
        assertThat(concat(stored)).isEqualTo(data);
        assertThat(writer.hash().hex()).isEqualTo(sha256(data));
        assertThat(committedOffsets).containsExactly(2000L, 2600L);
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static String sha256(byte[] data) {
        RunningSha256 digest = RunningSha256.inMemory();
        digest.update(data, 0, data.length);
        return digest.hex();
    }
}
