package dev.reel.ingest.captions;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A caption file as Reel stores it: WebVTT, UTF-8, {@code \n} line ends. A WebVTT upload is kept as written (line ends
 * normalized, byte order mark dropped); a SubRip upload is converted.
 *
 * @param sourceFormat {@code webvtt} or {@code srt}: what was uploaded
 * @param webVtt       the WebVTT file
 * @param cues         how many cues it has
 */
public record CaptionFile(String sourceFormat, byte[] webVtt, int cues) {

    public static final String WEBVTT = "webvtt";
    public static final String SRT = "srt";

    /**
     * Reads an uploaded caption file: WebVTT when it starts with {@code WEBVTT}, else SubRip.
     *
     * @throws CaptionFileException naming the line that cannot be read (not UTF-8, a bad timing, a cue out of order...)
     */
    public static CaptionFile read(byte[] bytes) throws CaptionFileException {
        String text = utf8(bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> lines = Arrays.asList(text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1));
        if (WebVtt.looksLikeWebVtt(lines)) {
            List<Cue> cues = WebVtt.cues(lines);
            String normalized = String.join("\n", lines).stripTrailing() + "\n";
            return new CaptionFile(WEBVTT, normalized.getBytes(StandardCharsets.UTF_8), cues.size());
        }
        List<Cue> cues = Srt.cues(lines);
        // normalized as a WebVTT upload is, so the stored file reads back as itself
        return new CaptionFile(SRT, (toWebVtt(cues).stripTrailing() + "\n").getBytes(StandardCharsets.UTF_8), cues.size());
    }

    static String toWebVtt(List<Cue> cues) {
        StringBuilder out = new StringBuilder("WEBVTT\n");
        for (Cue cue : cues) {
            out.append('\n');
            if (cue.identifier() != null) {
                out.append(cue.identifier()).append('\n');
            }
            out.append(Cue.timestamp(cue.startMillis())).append(" --> ").append(Cue.timestamp(cue.endMillis()));
            if (!cue.settings().isEmpty()) {
                out.append(' ').append(cue.settings());
            }
            out.append('\n');
            cue.text().forEach(line -> out.append(line).append('\n'));
        }
        return out.toString();
    }

    /** Strict UTF-8: a file in another encoding would show as mojibake; refuse it at the line of the first bad byte. */
    private static String utf8(byte[] bytes) throws CaptionFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new CaptionFileException(line, "the file is not UTF-8 (byte " + (in.position() + 1)
                    + "); save it as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CaptionFile that && sourceFormat.equals(that.sourceFormat) && Arrays.equals(webVtt, that.webVtt)
                && cues == that.cues;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sourceFormat.hashCode() + Arrays.hashCode(webVtt)) + cues;
    }

    @Override
    public String toString() {
        return "CaptionFile[" + sourceFormat + ", " + webVtt.length + " bytes, " + cues + " cues]";
    }
}
