package dev.reel.transcoder.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Fmp4Test {

    /** A box: size, type, then the payload. */
    private static byte[] box(String type, byte[]... payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : payload) {
            body.writeBytes(part);
        }
        return ByteBuffer.allocate(8 + body.size()).putInt(8 + body.size())
                .put(type.getBytes(StandardCharsets.US_ASCII)).put(body.toByteArray()).array();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] ints(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length);
        for (long v : values) {
            buffer.putInt((int) v);
        }
        return buffer.array();
    }

    private static byte[] longs(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length);
        for (long v : values) {
            buffer.putLong(v);
        }
        return buffer.array();
    }

    /** An init segment as ffmpeg writes one: mdhd version 0 with the timescale, an stsd holding an avc1 entry. */
    private static byte[] init(long timescale, int level) {
        byte[] mdhd = box("mdhd", ints(0, 0, 0, timescale, 0, 0));
        byte[] stsd = box("stsd", ints(0, 1), box("avc1", bytes(0, 0, 0, 0, 0, 0, 0, 1), box("avcC", bytes(1, 0x64, 0, level))));
        byte[] trak = box("trak", box("tkhd", ints(0, 0, 0, 1)), box("mdia", mdhd, box("hdlr", ints(0, 0)),
                box("minf", box("stbl", stsd))));
        return concat(box("ftyp", "iso5".getBytes(StandardCharsets.US_ASCII)), box("moov", box("mvhd", ints(0, 0, 0, 1000)),
                trak));
    }

    /** A media segment: styp, sidx (version 1), two fragments with tfdt version 1, and their mdat. */
    private static byte[] segment(long sidxTimescale, long firstTime) {
        byte[] sidx = box("sidx", ints(0x01000000, 1, sidxTimescale), longs(firstTime, 0), ints(0));
        byte[] moof1 = box("moof", box("mfhd", ints(0, 1)), box("traf", box("tfhd", ints(0, 1)),
                box("tfdt", ints(0x01000000), longs(firstTime)), box("trun", ints(0, 0))));
        byte[] moof2 = box("moof", box("mfhd", ints(0, 2)), box("traf", box("tfhd", ints(0, 1)),
                box("tfdt", ints(0x01000000), longs(firstTime + 30_720)), box("trun", ints(0, 0))));
        return concat(box("styp", "msdh".getBytes(StandardCharsets.US_ASCII)), sidx, moof1, box("mdat", new byte[16]), moof2,
                box("mdat", new byte[16]));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void readsTheTrackTimescaleAndDigestsTheSampleDescription() {
        assertThat(Fmp4.timescale(init(15_360, 0x1f))).isEqualTo(15_360);
        assertThat(Fmp4.sampleDescriptionDigest(init(15_360, 0x1f))).hasSize(64)
                .isEqualTo(Fmp4.sampleDescriptionDigest(init(30_000, 0x1f)))
                .as("another level is another configuration").isNotEqualTo(Fmp4.sampleDescriptionDigest(init(15_360, 0x28)));
        assertThatThrownBy(() -> Fmp4.timescale(box("ftyp", new byte[4]))).hasMessageContaining("not an init segment");
    }

    @Test
    void theFirstSampleIsPresentedAtItsDecodeTimePlusItsSignedCompositionOffset() {
        // trun version 1, flags: data offset, sample size and composition offset; first sample -512, second 1024
        byte[] withOffsets = box("moof", box("mfhd", ints(0, 1)), box("traf", box("tfhd", ints(0, 1)),
                box("tfdt", ints(0x01000000), longs(12_800)), box("trun", ints(0x01000a01, 2, 0, 100, -512, 200, 1024))));
        assertThat(Fmp4.firstPresentationTime(concat(withOffsets, box("mdat", new byte[8])))).isEqualTo(12_800 - 512);
        // version 0, with durations, no composition offsets: at its decode time
        byte[] without = box("moof", box("mfhd", ints(0, 1)), box("traf", box("tfhd", ints(0, 1)),
                box("tfdt", ints(0x01000000), longs(512)), box("trun", ints(0x00000301, 1, 0, 512, 100))));
        assertThat(Fmp4.firstPresentationTime(without)).isEqualTo(512);
        assertThat(Fmp4.firstPresentationTime(segment(15_360, 30_720))).as("an empty trun").isEqualTo(30_720);
    }

    @Test
    void shiftingASegmentMovesEveryFragmentAndTheIndexNothingElse() {
        byte[] original = segment(15_360, 0);
        byte[] moved = Fmp4.shift(segment(15_360, 0), 122_880, 15_360); // 8 s later
        assertThat(moved).hasSameSizeAs(original);
        assertThat(Fmp4.firstDecodeTime(original)).isZero();
        assertThat(Fmp4.firstDecodeTime(moved)).isEqualTo(122_880);
        ByteBuffer buffer = ByteBuffer.wrap(moved);
        int sidx = indexOf(moved, "sidx") - 4;
        assertThat(buffer.getLong(sidx + 20)).as("sidx earliest presentation time").isEqualTo(122_880);
        int second = indexOf(moved, "tfdt", indexOf(moved, "tfdt") + 4) - 4;
        assertThat(buffer.getLong(second + 12)).as("the second fragment's tfdt").isEqualTo(30_720 + 122_880);
        int differing = 0;
        for (int i = 0; i < moved.length; i++) {
            differing += moved[i] == original[i] ? 0 : 1;
        }
        assertThat(differing).as("only the time fields changed").isBetween(3, 6);
    }

    @Test
    void anIndexInAnotherTimescaleMovesByTheSameTime() {
        byte[] moved = Fmp4.shift(segment(90_000, 0), 122_880, 15_360);
        int sidx = indexOf(moved, "sidx") - 4;
        assertThat(ByteBuffer.wrap(moved).getLong(sidx + 20)).isEqualTo(720_000); // 8 s of 1/90000
    }

    @Test
    void aBoxThatDoesNotFitIsACorruptSegment() {
        byte[] broken = segment(15_360, 0);
        ByteBuffer.wrap(broken).putInt(0, 1_000_000);
        assertThatThrownBy(() -> Fmp4.shift(broken, 1, 15_360)).hasMessageContaining("does not fit");
    }

    private static int indexOf(byte[] bytes, String type) {
        return indexOf(bytes, type, 0);
    }

    private static int indexOf(byte[] bytes, String type, int from) {
        byte[] needle = type.getBytes(StandardCharsets.US_ASCII);
        outer : for (int i = from; i + 4 <= bytes.length; i++) {
            for (int j = 0; j < 4; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no " + type);
    }
}
