package dev.reel.transcoder.ladder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodecsTest {

    private static byte[] initWithAvcC(int profile, int compatibility, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("....ftypiso6....moov....avc1".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[]{0, 0, 0, 40});
        out.writeBytes("avcC".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[]{1, (byte) profile, (byte) compatibility, (byte) level, (byte) 0xff});
        return out.toByteArray();
    }

    @Test
    void readsProfileConstraintsAndLevelFromTheAvcCBox() {
        assertThat(Codecs.avc1(initWithAvcC(0x42, 0xc0, 0x15))).isEqualTo("avc1.42c015");
        assertThat(Codecs.avc1(initWithAvcC(0x4d, 0x40, 0x1e))).isEqualTo("avc1.4d401e");
        assertThat(Codecs.avc1(initWithAvcC(0x64, 0x00, 0x1f))).isEqualTo("avc1.64001f");
    }

    @Test
    void refusesAnInitSegmentWithoutH264() {
        assertThatThrownBy(() -> Codecs.avc1("ftypmoovhvcC".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
