package dev.reel.ingest.captions;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a WebVTT file (W3C WebVTT: a {@code WEBVTT} line, an optional header, then blocks separated by blank lines:
 * cues, {@code NOTE} comments, {@code STYLE} and {@code REGION} blocks) and counts its cues. Stricter than a browser,
 * which skips what it cannot read: a file Reel accepts shows every cue it has, and a file it refuses is refused at the
 * line a player would have dropped.
 */
final class WebVtt {

    // hours are 2 or more digits in WebVTT; more than 7 (over a thousand years) is refused before it overflows a long
    private static final String TIMESTAMP = "(?:(\\d{2,7}):)?([0-5]\\d):([0-5]\\d)\\.(\\d{3})";
    private static final Pattern TIMING = CueTimings.timing(TIMESTAMP, "(?:[ \\t]+(.*))?");
    private static final Pattern SIGNATURE = Pattern.compile("^WEBVTT(?:[ \\t].*)?$");
    /** A first line that starts with a timestamp was meant as a timing line, not an identifier. */
    private static final Pattern STARTS_LIKE_TIMING = Pattern.compile("^(?:\\d+:)?\\d+:\\d+[.,]\\d");
    private static final Pattern BLOCK_KEYWORD = Pattern.compile("^(NOTE|STYLE|REGION)(?:[ \\t].*)?$");

    private WebVtt() {
    }

    /** Whether {@code lines} (a file split into lines, without a byte order mark) start like a WebVTT file. */
    static boolean looksLikeWebVtt(List<String> lines) {
        return !lines.isEmpty() && lines.getFirst().startsWith("WEBVTT");
    }

    /**
     * The cues of a WebVTT file.
     *
     * @param lines the file's lines, without a byte order mark
     * @throws CaptionFileException naming the first line that is not WebVTT
     */
    static List<Cue> cues(List<String> lines) throws CaptionFileException {
        if (lines.isEmpty() || !SIGNATURE.matcher(lines.getFirst()).matches()) {
            throw new CaptionFileException(1, "a WebVTT file starts with the line WEBVTT");
        }
        int i = 1;
        for (; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            if (CueTimings.containsArrow(lines.get(i))) {
                throw new CaptionFileException(i + 1, "a blank line must separate the header from the first cue");
            }
        }
        List<Cue> cues = new ArrayList<>();
        CueTimings timings = new CueTimings();
        while (i < lines.size()) {
            if (lines.get(i).isEmpty()) {
                i++;
                continue;
            }
            int end = i;
            while (end < lines.size() && !lines.get(end).isEmpty()) {
                end++;
            }
            List<String> block = lines.subList(i, end);
            Matcher keyword = BLOCK_KEYWORD.matcher(block.getFirst());
            if (keyword.matches()) {
                for (int j = 0; j < block.size(); j++) {
                    if (CueTimings.containsArrow(block.get(j))) {
                        throw new CaptionFileException(i + j + 1, "a " + keyword.group(1)
                                + " block must not contain '-->' (is a blank line missing before a cue?)");
                    }
                }
            } else {
                cues.add(cue(block, i + 1, timings));
            }
            i = end;
        }
        if (cues.isEmpty()) {
            throw new CaptionFileException(0, "the file has no cues");
        }
        return cues;
    }

    private static Cue cue(List<String> block, int firstLine, CueTimings timings) throws CaptionFileException {
        boolean hasIdentifier = !CueTimings.containsArrow(block.getFirst())
                && !STARTS_LIKE_TIMING.matcher(block.getFirst()).find();
        int timingIndex = hasIdentifier ? 1 : 0;
        if (timingIndex >= block.size()) {
            throw new CaptionFileException(firstLine, "'" + Lines.excerpt(block.getFirst())
                    + "' is not followed by a cue timing line like 00:00:01.000 --> 00:00:02.500");
        }
        int timingLine = firstLine + timingIndex;
        String timing = block.get(timingIndex);
        Matcher matcher = TIMING.matcher(timing);
        if (!matcher.matches()) {
            throw new CaptionFileException(timingLine, "expected a cue timing line like 00:00:01.000 --> 00:00:02.500, got '"
                    + Lines.excerpt(timing) + "'");
        }
        long start = CueTimings.millis(matcher, 1);
        long end = CueTimings.millis(matcher, 5);
        timings.check(timingLine, start, end);
        List<String> text = block.subList(timingIndex + 1, block.size());
        for (int j = 0; j < text.size(); j++) {
            if (CueTimings.containsArrow(text.get(j))) {
                throw new CaptionFileException(timingLine + 1 + j,
                        "cue text must not contain '-->' (is a blank line missing before the next cue?)");
            }
        }
        String settings = matcher.group(9) == null ? "" : matcher.group(9).strip();
        return new Cue(hasIdentifier ? block.getFirst() : null, start, end, settings, List.copyOf(text));
    }
}
