package dev.reel.ingest.captions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checks every cue's timing gets, whatever the file format: it ends after it starts, and starts in order. */
final class CueTimings {

    private long previousStart = -1;

    /**
     * Milliseconds of a matched timestamp: groups {@code first} (hours, may be absent), +1 minutes, +2 seconds, +3
     * fraction (three digits).
     */
    static long millis(Matcher matcher, int first) {
        String hours = matcher.group(first);
        return (hours == null ? 0 : Long.parseLong(hours)) * 3_600_000 + Long.parseLong(matcher.group(first + 1)) * 60_000
                + Long.parseLong(matcher.group(first + 2)) * 1000 + Long.parseLong(matcher.group(first + 3));
    }

    static boolean containsArrow(String line) {
        return line.contains("-->");
    }

    /** @throws CaptionFileException naming {@code line} when the cue is empty in time or out of order */
    void check(int line, long start, long end) throws CaptionFileException {
        if (end <= start) {
            throw new CaptionFileException(line, "the cue ends at " + Cue.timestamp(end) + ", not after it starts at "
                    + Cue.timestamp(start));
        }
        if (start < previousStart) {
            throw new CaptionFileException(line, "cues must be in order of start time: this one starts at "
                    + Cue.timestamp(start) + ", before the one above it at " + Cue.timestamp(previousStart));
        }
        previousStart = start;
    }

    static Pattern timing(String timestamp, String tail) {
        return Pattern.compile("^" + timestamp + "[ \\t]+-->[ \\t]+" + timestamp + tail + "$");
    }
}
