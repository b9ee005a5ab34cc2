package dev.reel.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.service.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TusHeadersTest {

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lengthsAndOffsetsAreNonNegativeIntegers() {
        assertThat(TusHeaders.nonNegative("Upload-Length", "0")).isZero();
        assertThat(TusHeaders.nonNegative("Upload-Offset", " 1048576 ")).isEqualTo(1_048_576);
        for (String bad : new String[]{"-1", "1.5", "abc", "", "12345678901234567890", "0x10"}) {
            assertThatThrownBy(() -> TusHeaders.nonNegative("Upload-Offset", bad))
                    .isInstanceOf(ApiException.class).hasMessageContaining("Upload-Offset");
        }
        assertThatThrownBy(() -> TusHeaders.nonNegative("Upload-Length", null))
                .isInstanceOf(ApiException.class).hasMessageContaining("required");
    }

    @Test
    void metadataDecodesBase64Utf8ValuesAndKeysWithoutValue() {
        var metadata = TusHeaders.metadata("filename " + b64("clip.mp4") + ",title " + b64("Été à Paris ✓") + ",is_confidential");
        assertThat(metadata).containsEntry("filename", "clip.mp4").containsEntry("title", "Été à Paris ✓")
                .containsEntry("is_confidential", "");
        assertThat(TusHeaders.metadata(null)).isEmpty();
        assertThat(TusHeaders.metadata(" ")).isEmpty();
    }

    @Test
    void malformedMetadataIsA400() {
        assertThatThrownBy(() -> TusHeaders.metadata("title not-base64!")).isInstanceOf(ApiException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> TusHeaders.metadata("title " + b64("a") + ",title " + b64("b"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> TusHeaders.metadata("title a b")).hasMessageContaining("pairs");
        String latin1 = Base64.getEncoder().encodeToString(new byte[]{(byte) 0xE9, (byte) 0xFF});
        assertThatThrownBy(() -> TusHeaders.metadata("title " + latin1)).hasMessageContaining("UTF-8");
    }

    @Test
    void checksumIsSha256InBase64() {
        byte[] digest = new byte[32];
        digest[0] = 7;
        var checksum = TusHeaders.checksum("sha256 " + Base64.getEncoder().encodeToString(digest));
        assertThat(checksum.algorithm()).isEqualTo("sha256");
        assertThat(checksum.digest()).isEqualTo(digest);
        assertThat(TusHeaders.checksum(null)).isNull();
        assertThatThrownBy(() -> TusHeaders.checksum("md5 AAAA")).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> TusHeaders.checksum("sha256 AAAA")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> TusHeaders.checksum("sha256")).hasMessageContaining("<algorithm>");
    }

    @Test
    void expiresIsAnHttpDate() {
        assertThat(TusHeaders.httpDate(Instant.parse("2026-11-24T10:00:00Z"))).isEqualTo("Tue, 24 Nov 2026 10:00:00 GMT");
    }
}
