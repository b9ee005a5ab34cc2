package dev.reel.ingest.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of an upload, read chunk by chunk at the offsets the server asks for. A file can be read anywhere; a
 * stream only forward, so it keeps its current chunk to send again after a failed request.
 */
interface ChunkSource extends AutoCloseable {

    long length();

    /** Up to {@code max} bytes starting at {@code offset}. */
    ByteBuffer chunk(long offset, int max) throws IOException;

    @Override
    void close() throws IOException;

    static ChunkSource of(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long length = channel.size();
        return new ChunkSource() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public ByteBuffer chunk(long offset, int max) throws IOException {
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(max, length - offset));
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, offset + buffer.position()) < 0) {
                        throw new IOException(file + " became shorter while uploading");
                    }
                }
                return buffer.flip();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    static ChunkSource of(InputStream in, long length) {
        return new ChunkSource() {
            private long windowStart;
            private byte[] window = new byte[0];

            @Override
            public long length() {
                return length;
            }

            @Override
            public ByteBuffer chunk(long offset, int max) throws IOException {
                long windowEnd = windowStart + window.length;
                if (offset == windowEnd) { // the server has the whole window: read the next chunk
                    window = in.readNBytes((int) Math.min(max, length - offset));
                    windowStart = offset;
                    if (window.length == 0 && offset < length) {
                        throw new IOException("the stream ended at byte " + offset + " of " + length);
                    }
                } else if (offset < windowStart || offset > windowEnd) {
                    throw new IOException("the server asks for byte " + offset + " but a stream can only resend bytes "
                            + windowStart + " to " + windowEnd);
                }
                int from = (int) (offset - windowStart);
                return ByteBuffer.wrap(window, from, Math.min(max, window.length - from)).slice();
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
