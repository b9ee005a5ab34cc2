package dev.reel.transcoder.ladder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * RFC 6381 codecs strings for the master playlist's CODECS attribute, read from what the encoder really wrote:
 * the avcC box of a rendition's init segment holds the profile, constraint flags and level
 * ({@code avc1.PPCCLL}), so the string is right even if x264 picked something other than what it was asked.
 */
public final class Codecs {

    /** AAC-LC, the profile ffmpeg's native AAC encoder writes. */
    public static final String AAC_LC = "mp4a.40.2";

    private Codecs() {
    }

    /** The codecs string of a video rendition (video only: the audio is a rendition of its own). */
    public static String of(Path initSegment) throws IOException {
        return avc1(Files.readAllBytes(initSegment));
    }

    /** {@code avc1.PPCCLL} from the bytes of an init segment that contains an avcC box. */
    static String avc1(byte[] init) {
        for (int i = 0; i + 8 <= init.length; i++) {
            if (init[i] == 'a' && init[i + 1] == 'v' && init[i + 2] == 'c' && init[i + 3] == 'C') {
                // avcC payload: configurationVersion, AVCProfileIndication, profile_compatibility, AVCLevelIndication
                return "avc1." + HexFormat.of().formatHex(init, i + 5, i + 8).toLowerCase(Locale.ROOT);
            }
        }
        throw new IllegalArgumentException("no avcC box: not an H.264 init segment");
    }
}
