package dev.reel.transcoder.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rendition's media playlist as ffmpeg writes it (an HLS {@code EVENT} playlist that lists each segment once it is
 * closed, and gets {@code #EXT-X-ENDLIST} when ffmpeg is done): its segments with their durations, whether it is
 * complete, and the text to store, which names the init segment as stored.
 */
public record MediaPlaylist(String text, List<Segment> segments, boolean complete) {

    private static final Pattern MAP_URI = Pattern.compile("(#EXT-X-MAP:URI=\")([^\"]*)(\")");
    private static final String EXTINF = "#EXTINF:";
    private static final String ENDLIST = "#EXT-X-ENDLIST";
    private static final String PLAYLIST_TYPE = "#EXT-X-PLAYLIST-TYPE:";
    private static final String START = "#EXT-X-START:";
    private static final String TARGET_DURATION = "#EXT-X-TARGETDURATION:";

    /** A media segment: its URI (a file name next to the playlist) and duration. */
    public record Segment(String uri, double durationSeconds) {
    }

    public MediaPlaylist {
        segments = List.copyOf(segments);
    }

    public static MediaPlaylist parse(String text) {
        List<Segment> segments = new ArrayList<>();
        boolean complete = false;
        double pendingDuration = -1;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.startsWith(EXTINF)) {
                String value = line.substring(EXTINF.length());
                int comma = value.indexOf(',');
                pendingDuration = Double.parseDouble(comma >= 0 ? value.substring(0, comma) : value);
            } else if (line.equals(ENDLIST)) {
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
        Matcher m = MAP_URI.matcher(text);
        return m.find() ? m.group(2) : null;
    }

    /** This playlist cut after its first {@code count} segments: incomplete, as when ffmpeg had written no more. */
    public MediaPlaylist firstSegments(int count) {
        if (count > segments.size()) {
            throw new IllegalArgumentException("only " + segments.size() + " segments, not " + count);
        }
        StringBuilder cut = new StringBuilder();
        int kept = 0;
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if ((trimmed.startsWith(EXTINF) && kept == count) || trimmed.equals(ENDLIST)) {
                break;
            }
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                kept++;
            }
            cut.append(line).append('\n');
        }
        return new MediaPlaylist(cut.toString(), segments.subList(0, count), false);
    }

    /**
     * The text to store, pointing at {@code initName} instead of the file name ffmpeg chose. A complete playlist
     * becomes a {@code VOD} playlist; an incomplete one stays an {@code EVENT} playlist that starts players at its
     * beginning ({@code #EXT-X-START:TIME-OFFSET=0}; without it they join an EVENT playlist near its newest segment,
     * as if it were live).
     *
     * @param targetDuration the {@code EXT-X-TARGETDURATION} to state, fixed for the whole life of a growing playlist
     *                       (ffmpeg states the longest segment written so far)
     */
    public String storedText(String initName, int targetDuration) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith(PLAYLIST_TYPE) || trimmed.startsWith(START)) {
                continue; // written below, after #EXTM3U
            }
            if (trimmed.startsWith(TARGET_DURATION)) {
                out.append(TARGET_DURATION).append(targetDuration).append('\n');
                continue;
            }
            out.append(MAP_URI.matcher(line).replaceFirst("$1" + Matcher.quoteReplacement(initName) + "$3")).append('\n');
            if (trimmed.equals("#EXTM3U")) {
                out.append(PLAYLIST_TYPE).append(complete ? "VOD" : "EVENT").append('\n');
                if (!complete) {
                    out.append(START).append("TIME-OFFSET=0\n");
                }
            }
        }
        return out.toString();
    }

    /**
     * A playlist of stored segments, as the assembler stores it: an {@code EVENT} playlist that starts players at its
     * beginning while the rendition grows, the {@code VOD} playlist with {@code #EXT-X-ENDLIST} once it is complete;
     * the same lines ffmpeg writes, in the same order as {@link #storedText}.
     */
    public static String render(List<Segment> segments, String initName, int targetDuration, boolean complete) {
        StringBuilder out = new StringBuilder("#EXTM3U\n").append(PLAYLIST_TYPE).append(complete ? "VOD" : "EVENT").append('\n');
        if (!complete) {
            out.append(START).append("TIME-OFFSET=0\n");
        }
        out.append("#EXT-X-VERSION:7\n").append(TARGET_DURATION).append(targetDuration).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"").append(initName)
                .append("\"\n");
        for (Segment segment : segments) {
            out.append(EXTINF).append(String.format(Locale.ROOT, "%.6f", segment.durationSeconds())).append(",\n")
                    .append(segment.uri()).append('\n');
        }
        if (complete) {
            out.append(ENDLIST).append('\n');
        }
        return out.toString();
    }

    public double durationSeconds() {
        return segments.stream().mapToDouble(Segment::durationSeconds).sum();
    }
}
