package dev.reel.edge.http;

import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes master playlists from the catalog and makes the URIs of served playlists carry a playback token. */
public final class Playlists {

    private static final String AUDIO_GROUP = "audio";
    private static final Pattern MAP_URI = Pattern.compile("(#EXT-X-MAP:.*URI=\")([^\"]+)(\")");

    private Playlists() {
    }

    /**
     * The master playlist of the renditions that are ready, lowest first, so a video plays as soon as its first
     * rendition is and gains rungs as they finish. A video rendition without audio of its own plays with the video's
     * audio rendition (an {@code EXT-X-MEDIA} audio group; its bit rates count in each variant's, as RFC 8216 asks); a
     * muxed one (written before demuxed audio) carries its own. An interim rendition (a passthrough that does not fit
     * the ladder) is offered only until the video is READY.
     *
     * @param query appended to each rendition URI ({@code ""}, or {@code ?token=...} for a private video)
     */
    public static String master(VideoRecord video, String query) {
        StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        List<Rendition> audio = video.renditions().stream().filter(r -> r.kind() == RenditionKind.AUDIO).toList();
        for (Rendition a : audio) {
            playlist.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(AUDIO_GROUP).append("\",NAME=\"").append(a.name())
                    .append("\",DEFAULT=").append(a == audio.getFirst() ? "YES" : "NO").append(",AUTOSELECT=YES,URI=\"")
                    .append(a.name()).append("/index.m3u8").append(query).append("\"\n");
        }
        long audioPeak = audio.stream().mapToLong(Rendition::bandwidth).max().orElse(0);
        long audioAverage = audio.stream().mapToLong(Rendition::averageBandwidth).max().orElse(0);
        String audioCodecs = audio.isEmpty() ? "" : "," + audio.getFirst().codecs();
        boolean ready = video.state() == VideoState.READY;
        for (Rendition r : video.renditions()) {
            if (!r.hasVideo() || (r.interim() && ready)) {
                continue;
            }
            boolean withGroup = r.kind() == RenditionKind.VIDEO && !audio.isEmpty();
            playlist.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(r.bandwidth() + (withGroup ? audioPeak : 0))
                    .append(",AVERAGE-BANDWIDTH=").append(r.averageBandwidth() + (withGroup ? audioAverage : 0))
                    .append(",RESOLUTION=").append(r.width()).append('x').append(r.height())
                    .append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", r.frameRate()))
                    .append(",CODECS=\"").append(r.codecs()).append(withGroup ? audioCodecs : "").append('"');
            if (withGroup) {
                playlist.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
            }
            playlist.append('\n').append(r.name()).append("/index.m3u8").append(query).append('\n');
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
