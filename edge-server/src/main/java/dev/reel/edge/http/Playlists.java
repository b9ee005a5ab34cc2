package dev.reel.edge.http;

import dev.reel.events.CaptionKind;
import dev.reel.events.CaptionTrack;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes master playlists from the catalog and makes the URIs of served playlists carry a playback token. */
public final class Playlists {

    private static final String AUDIO_GROUP = "audio";
    /** The one SUBTITLES group of a master playlist, referenced by every variant. */
    public static final String SUBTITLES_GROUP = "subs";
    private static final String CAPTIONS_CHARACTERISTICS = "public.accessibility.transcribes-spoken-dialog,"
            + "public.accessibility.describes-music-and-sound";
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
     * <p>A video with demuxed audio also gets an audio-only variant ({@code CODECS} of the audio alone, no
     * {@code RESOLUTION}), listed last: AVPlayer (Safari, iOS) falls back to it when the link cannot carry the lowest
     * picture, as Apple's authoring spec has apps on cellular offer. A video whose audio is muxed only (older ladders,
     * a passthrough) gets none: its audio exists only inside segments that carry the pictures too, so "audio-only"
     * would cost as much as the lowest rung.
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
        Set<String> names = new HashSet<>();
        for (CaptionTrack track : video.captions()) {
            // NAME must be unique within the group: a label used twice is told apart by its language
            String name = names.add(track.label()) ? track.label() : track.label() + " (" + track.language() + ")";
            names.add(name);
            playlist.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"").append(SUBTITLES_GROUP)
                    .append("\",NAME=\"").append(name)
                    .append("\",LANGUAGE=\"").append(track.language())
                    .append("\",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO");
            if (track.kind() == CaptionKind.CAPTIONS) {
                playlist.append(",CHARACTERISTICS=\"").append(CAPTIONS_CHARACTERISTICS).append('"');
            }
            playlist.append(",URI=\"").append(CaptionPath.PREFIX).append(track.language()).append(CaptionPath.PLAYLIST)
                    .append(query).append("\"\n");
        }
        String subtitles = video.captions().isEmpty() ? "" : ",SUBTITLES=\"" + SUBTITLES_GROUP + "\"";
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
            playlist.append(subtitles).append('\n').append(r.name()).append("/index.m3u8").append(query).append('\n');
        }
        if (!audio.isEmpty()) {
            // the audio-only variant, for links too poor for the lowest picture: last, so that no player starts with it
            // (the first variant listed is where HLS clients start); it names the audio group and plays the group's
            // default rendition under the same URI, so a client switching to it keeps the audio it already buffered
            Rendition a = audio.getFirst();
            playlist.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(a.bandwidth())
                    .append(",AVERAGE-BANDWIDTH=").append(a.averageBandwidth())
                    .append(",CODECS=\"").append(a.codecs()).append("\",AUDIO=\"").append(AUDIO_GROUP).append('"')
                    .append(subtitles).append('\n').append(a.name()).append("/index.m3u8").append(query).append('\n');
        }
        return playlist.toString();
    }

    /**
     * The media playlist of one text track: its whole WebVTT file as one segment as long as the video. The cue times are
     * the video's own (no {@code X-TIMESTAMP-MAP}: Reel's fMP4 segments start at time 0, which is what HLS maps a WebVTT
     * file without one to).
     *
     * @param query appended to the WebVTT URI
     */
    public static String subtitles(VideoRecord video, CaptionTrack track, String query) {
        double duration = video.source().durationSeconds();
        return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + (long) Math.ceil(duration) + "\n"
                + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                + "#EXTINF:" + String.format(Locale.ROOT, "%.3f", duration) + ",\n"
                + track.language() + CaptionPath.WEBVTT + query + "\n#EXT-X-ENDLIST\n";
    }

    /** {@code ?token=<token>} with the token URL-encoded. */
    public static String tokenQuery(String token) {
        return "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /**
     * A storyboard's WebVTT file whose sprite references carry {@code query} before their {@code #xywh=} fragment, so a
     * private video's token follows the player to the sprite.
     */
    /** The text of {@code path} ({@link MediaPath#namesMedia}) with {@code query} on every media URL it names. */
    public static String withQuery(MediaPath path, String text, String query) {
        return path.isRenditionPlaylist() ? withQuery(text, query) : storyboardWithQuery(text, query);
    }

    public static String storyboardWithQuery(String vtt, String query) {
        String sprite = MediaPath.SPRITE;
        return vtt.replace(sprite + "#", sprite + query + "#");
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
