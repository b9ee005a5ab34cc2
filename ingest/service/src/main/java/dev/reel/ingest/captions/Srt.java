package dev.reel.ingest.captions;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads SubRip ({@code .srt}): numbered cues separated by blank lines, {@code 00:00:01,000 --> 00:00:02,500} timings
 * (a full stop is accepted for the comma, as some tools write it; an X1/Y1 position after the timing is ignored).
 * Text keeps the tags WebVTT shares with SubRip ({@code <b>}, {@code <i>}, {@code <u>}); {@code <font>} tags and ASS
 * overrides such as {@code {\an8}} are dropped, as WebVTT has neither.
 */
final class Srt {

    private static final String TIMESTAMP = "(\\d{1,3}):([0-5]\\d):([0-5]\\d)[,.](\\d{3})";
    private static final Pattern TIMING = CueTimings.timing(TIMESTAMP, "(?:[ \\t]+.*)?");
    private static final Pattern NUMBER = Pattern.compile("^\\d+$");
    private static final Pattern DROPPED_TAGS = Pattern.compile("</?font[^>]*>|\\{\\\\[^}]*}", Pattern.CASE_INSENSITIVE);

    private Srt() {
    }

    /**
     * The cues of a SubRip file.
     *
     * @param lines the file's lines, without a byte order mark
     * @throws CaptionFileException naming the first line that is not SubRip
     */
    static List<Cue> cues(List<String> lines) throws CaptionFileException {
        List<Cue> cues = new ArrayList<>();
        CueTimings timings = new CueTimings();
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            int end = i;
            while (end < lines.size() && !lines.get(end).isBlank()) {
                end++;
            }
            cues.add(cue(lines.subList(i, end), i + 1, timings));
            i = end;
        }
        if (cues.isEmpty()) {
            throw new CaptionFileException(0, "the file has no cues (neither WebVTT, which starts with WEBVTT, nor SubRip)");
        }
        return cues;
    }

    private static Cue cue(List<String> block, int firstLine, CueTimings timings) throws CaptionFileException {
        String number = block.getFirst().strip();
        if (!NUMBER.matcher(number).matches()) {
            throw new CaptionFileException(firstLine, "expected a cue number (SubRip) or WEBVTT on the first line (WebVTT), got '"
                    + Lines.excerpt(block.getFirst()) + "'");
        }
        if (block.size() < 2) {
            throw new CaptionFileException(firstLine, "cue number " + number
                    + " is not followed by a cue timing line like 00:00:01,000 --> 00:00:02,500");
        }
        Matcher matcher = TIMING.matcher(block.get(1).strip());
        if (!matcher.matches()) {
            throw new CaptionFileException(firstLine + 1, "expected a cue timing line like 00:00:01,000 --> 00:00:02,500, got '"
                    + Lines.excerpt(block.get(1)) + "'");
        }
        long start = CueTimings.millis(matcher, 1);
        long end = CueTimings.millis(matcher, 5);
        timings.check(firstLine + 1, start, end);
        List<String> text = new ArrayList<>();
        for (int j = 2; j < block.size(); j++) {
            if (CueTimings.containsArrow(block.get(j))) {
                throw new CaptionFileException(firstLine + j,
                        "cue text must not contain '-->' (is a blank line missing before the next cue?)");
            }
            text.add(DROPPED_TAGS.matcher(block.get(j)).replaceAll(""));
        }
        return new Cue(number, start, end, "", text);
    }
}
