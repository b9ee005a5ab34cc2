package dev.reel.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSourceTest {

    private static final byte[] DATA = "0123456789abcdefghij".getBytes();

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes);
    }

    @Test
    void aFileIsReadAtAnyOffset(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("f"), DATA);
        try (ChunkSource source = ChunkSource.of(file)) {
            assertThat(source.length()).isEqualTo(20);
            assertThat(text(source.chunk(0, 8))).isEqualTo("01234567");
            assertThat(text(source.chunk(15, 8))).isEqualTo("fghij");
            assertThat(text(source.chunk(3, 4))).isEqualTo("3456");
        }
    }

    @Test
    void aStreamResendsItsCurrentChunkFromAnyOffsetInIt() throws IOException {
        try (ChunkSource source = ChunkSource.of(new ByteArrayInputStream(DATA), DATA.length)) {
            assertThat(text(source.chunk(0, 8))).isEqualTo("01234567");
            assertThat(text(source.chunk(5, 8))).as("the server kept 5 bytes of a cut request").isEqualTo("567");
            assertThat(text(source.chunk(8, 8))).isEqualTo("89abcdef");
            assertThat(text(source.chunk(16, 8))).isEqualTo("ghij");
            assertThatThrownBy(() -> source.chunk(2, 8)).isInstanceOf(IOException.class).hasMessageContaining("can only resend");
        }
    }

    @Test
    void aStreamShorterThanAnnouncedFails() {
        ChunkSource source = ChunkSource.of(new ByteArrayInputStream(DATA), 30);
        assertThatThrownBy(() -> {
            source.chunk(0, 20);
            source.chunk(20, 20);
        }).isInstanceOf(IOException.class).hasMessageContaining("ended at byte 20");
    }
}
