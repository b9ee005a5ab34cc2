package dev.reel.transcoder.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a rendition's media playlist the uploader needs: its segments with their durations, whether ffmpeg
 * finished it ({@code #EXT-X-ENDLIST}), and its text with the init segment renamed.
 */
public record MediaPlaylist(String text, List<Segment> segments, boolean complete) {

    private static final Pattern MAP_URI = Pattern.compile("(#EXT-X-MAP:URI=\")[^\"]*(\")");

    /** A media segment: its URI (a file name next to the playlist) and duration. */
    public record Segment(String uri, double durationSeconds) {}

    public MediaPlaylist {
        segments = List.copyOf(segments);
    }

    public static MediaPlaylist parse(String text) {
        List<Segment> segments = new ArrayList<>();
        boolean complete = false;
        double pendingDuration = -1;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.startsWith("#EXTINF:")) {
                String value = line.substring("#EXTINF:".length());
                int comma = value.indexOf(',');
                pendingDuration = Double.parseDouble(comma >= 0 ? value.substring(0, comma) : value);
            } else if (line.equals("#EXT-X-ENDLIST")) {
                complete = true;
            } else if (!line.isEmpty() && !line.startsWith("#") && pendingDuration >= 0) {
                segments.add(new Segment(line, pendingDuration));
                pendingDuration = -1;
            }
        }
        return new MediaPlaylist(text, segments, complete);
    }

    /** The init segment's URI, or {@code null} when the playlist has no {@code #EXT-X-MAP}. */
    public String initUri() {
        Matcher m = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]*)\"").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** The playlist text pointing at {@code initName} instead of the file name ffmpeg chose. */
    public String withInit(String initName) {
        return MAP_URI.matcher(text).replaceFirst("$1" + Matcher.quoteReplacement(initName) + "$2");
    }

    public double durationSeconds() {
        return segments.stream().mapToDouble(Segment::durationSeconds).sum();
    }
}
