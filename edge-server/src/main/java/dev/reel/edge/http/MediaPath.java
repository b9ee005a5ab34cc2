package dev.reel.edge.http;

import dev.reel.events.objects.ObjectKeys;
import java.util.Optional;
import java.util.Set;

/**
 * The allow-list of media URLs: {@code /v/<videoId>/master.m3u8}, {@code /v/<videoId>/manifest.mpd} (DASH),
 * {@code /v/<videoId>/poster.jpg}, the storyboard {@code /v/<videoId>/storyboard.vtt} with its sprite
 * {@code /v/<videoId>/storyboard.jpg}, and
 * {@code /v/<videoId>/<rendition>/(index.m3u8|init.mp4|seg-NNNNN.m4s)}. Anything else is not a media URL, so no
 * object key is ever built from free text: the video and rendition must also exist in the catalog.
 *
 * @param videoId   the video
 * @param rendition the rendition name, or {@code null} for the master playlist, the poster and the storyboard
 * @param file      the file name
 */
public record MediaPath(String videoId, String rendition, String file) {

    public static final String MASTER = "master.m3u8";
    public static final String POSTER = "poster.jpg";
    public static final String MANIFEST = "manifest.mpd";
    public static final String STORYBOARD = ObjectKeys.STORYBOARD_VTT;
    public static final String SPRITE = ObjectKeys.STORYBOARD_SPRITE;
    public static final String INDEX = "index.m3u8";
    public static final String INIT = "init.mp4";

    /** The longest video id or rendition name. */
    private static final int MAX_NAME = 128;
    /** Where every media URL starts, before the video id. */
    static final String VIDEO_PREFIX = "/v/";
    private static final Set<String> VIDEO_FILES = Set.of(MASTER, POSTER, MANIFEST, STORYBOARD, SPRITE);
    private static final String SEGMENT_PREFIX = "seg-";
    private static final String SEGMENT_SUFFIX = ".m4s";
    private static final int SEGMENT_DIGITS = 5;

    /**
     * Reads the path by hand: the regular expressions this replaces (with {@link CaptionPath}'s, three tried in turn)
     * were 6% of the edge's sampled CPU time per segment request (JFR of {@code CmcdCostBenchmark}). {@code MediaPathTest}
     * checks both readers against those expressions.
     */
    public static Optional<MediaPath> parse(String path) {
        int idEnd = path == null ? -1 : videoIdEnd(path);
        if (idEnd < 0) {
            return Optional.empty();
        }
        int renditionEnd = path.indexOf('/', idEnd + 1);
        if (renditionEnd < 0) {
            String file = path.substring(idEnd + 1);
            return VIDEO_FILES.contains(file)
                    ? Optional.of(new MediaPath(path.substring(VIDEO_PREFIX.length(), idEnd), null, file))
                    : Optional.empty();
        }
        if (!isName(path, idEnd + 1, renditionEnd, true, MAX_NAME) || !isRenditionFile(path, renditionEnd + 1)) {
            return Optional.empty();
        }
        return Optional.of(new MediaPath(path.substring(VIDEO_PREFIX.length(), idEnd),
                path.substring(idEnd + 1, renditionEnd), path.substring(renditionEnd + 1)));
    }

    /** Where the video id of {@code /v/<videoId>/...} ends (the index of the {@code /} after it), or -1 without one. */
    static int videoIdEnd(String path) {
        if (!path.startsWith(VIDEO_PREFIX)) {
            return -1;
        }
        int end = path.indexOf('/', VIDEO_PREFIX.length());
        return isName(path, VIDEO_PREFIX.length(), end, true, MAX_NAME) ? end : -1;
    }

    /** Whether {@code path} from {@code from} on is {@code index.m3u8}, {@code init.mp4} or {@code seg-NNNNN.m4s}. */
    private static boolean isRenditionFile(String path, int from) {
        int length = path.length() - from;
        if (length == INDEX.length() && path.startsWith(INDEX, from) || length == INIT.length() && path.startsWith(INIT, from)) {
            return true;
        }
        if (length != SEGMENT_PREFIX.length() + SEGMENT_DIGITS + SEGMENT_SUFFIX.length() || !path.startsWith(SEGMENT_PREFIX, from)
                || !path.endsWith(SEGMENT_SUFFIX)) {
            return false;
        }
        for (int i = from + SEGMENT_PREFIX.length(); i < from + SEGMENT_PREFIX.length() + SEGMENT_DIGITS; i++) {
            char c = path.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code text[from, to)} is 1 to {@code max} characters of {@code [A-Za-z0-9-]}, and {@code _} if
     * {@code underscore}; false when {@code to} is negative (not found).
     */
    static boolean isName(String text, int from, int to, boolean underscore, int max) {
        if (to <= from || to - from > max) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' && underscore)) {
                return false;
            }
        }
        return true;
    }

    public boolean isMaster() {
        return rendition == null && MASTER.equals(file);
    }

    public boolean isManifest() {
        return rendition == null && MANIFEST.equals(file);
    }

    public boolean isPoster() {
        return rendition == null && POSTER.equals(file);
    }

    /** The storyboard's WebVTT file or its sprite. */
    public boolean isStoryboard() {
        return rendition == null && (STORYBOARD.equals(file) || SPRITE.equals(file));
    }

    public boolean isRenditionPlaylist() {
        return INDEX.equals(file);
    }

    /** Text naming other media URLs, into which the edge writes a private video's token ({@link Playlists#withQuery}). */
    public boolean namesMedia() {
        return isRenditionPlaylist() || STORYBOARD.equals(file);
    }

    /** 1-based segment number, or 0 when this is not a media segment. */
    public int segmentNumber() {
        return file.startsWith("seg-") ? Integer.parseInt(file, 4, 9, 10) : 0;
    }

    /** The object key of this rendition file: beside the rendition's playlist, whose key the catalog gives. */
    public String objectKeyBeside(String playlistKey) {
        return playlistKey.substring(0, playlistKey.lastIndexOf('/') + 1) + file;
    }

    public String contentType() {
        if (file.endsWith(".m3u8")) {
            return MediaTypes.PLAYLIST;
        }
        if (INIT.equals(file)) {
            return MediaTypes.INIT_SEGMENT;
        }
        if (STORYBOARD.equals(file)) {
            return MediaTypes.WEBVTT;
        }
        return isPoster() || SPRITE.equals(file) ? MediaTypes.JPEG : MediaTypes.MEDIA_SEGMENT;
    }
}
