package dev.reel.edge.http;

import dev.reel.events.Rendition;
import dev.reel.events.VideoRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes master playlists from the catalog and makes the URIs of served playlists carry a playback token. */
public final class Playlists {

    private static final Pattern MAP_URI = Pattern.compile("(#EXT-X-MAP:.*URI=\")([^\"]+)(\")");

    private Playlists() {
    }

    /**
     * The master playlist of the renditions that are ready, lowest first, so a video plays as soon as its first
     * rendition is and gains rungs as they finish.
     *
     * @param query appended to each rendition URI ({@code ""}, or {@code ?token=...} for a private video)
     */
    public static String master(VideoRecord video, String query) {
        StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (Rendition r : video.renditions()) {
            playlist.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(r.bandwidth())
                    .append(",AVERAGE-BANDWIDTH=").append(r.averageBandwidth())
                    .append(",RESOLUTION=").append(r.width()).append('x').append(r.height())
                    .append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", r.frameRate()))
                    .append(",CODECS=\"").append(r.codecs()).append("\"\n")
                    .append(r.name()).append("/index.m3u8").append(query).append('\n');
        }
        return playlist.toString();
    }

    /** {@code ?token=<token>} with the token URL-encoded. */
    public static String tokenQuery(String token) {
        return "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** A rendition playlist whose segment and init URIs carry {@code query}, so the token follows the player. */
    public static String withQuery(String playlist, String query) {
        StringBuilder out = new StringBuilder(playlist.length() + 64);
        for (String line : playlist.split("\n", -1)) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                out.append(trimmed).append(query);
            } else {
                Matcher map = MAP_URI.matcher(line);
                out.append(map.find() ? map.replaceFirst("$1$2" + Matcher.quoteReplacement(query) + "$3") : line);
            }
            out.append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }
}
