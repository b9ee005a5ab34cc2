package dev.reel.ingest.captions;

import java.util.List;
import java.util.Locale;

/**
 * One cue as read from a caption file.
 *
 * @param identifier  the cue's identifier line, or {@code null}
 * @param startMillis when it starts
 * @param endMillis   when it ends, after it starts
 * @param settings    WebVTT cue settings after the timing ({@code line:0 align:start}), or {@code ""}
 * @param text        its text lines
 */
record Cue(String identifier, long startMillis, long endMillis, String settings, List<String> text) {

    /** A WebVTT timestamp, hours always written: {@code 01:02:03.456}. */
    static String timestamp(long millis) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60,
                millis % 1000);
    }
}
