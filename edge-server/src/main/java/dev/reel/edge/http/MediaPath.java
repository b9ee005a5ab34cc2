package dev.reel.edge.http;

import dev.reel.events.objects.ObjectKeys;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final String ID = "[A-Za-z0-9_-]{1,128}";
    private static final Pattern VIDEO_FILE = Pattern
            .compile("/v/(" + ID + ")/(master\\.m3u8|poster\\.jpg|manifest\\.mpd|storyboard\\.vtt|storyboard\\.jpg)");
    private static final Pattern RENDITION_FILE = Pattern
            .compile("/v/(" + ID + ")/(" + ID + ")/(index\\.m3u8|init\\.mp4|seg-(\\d{5})\\.m4s)");

    public static Optional<MediaPath> parse(String path) {
        if (path == null) {
            return Optional.empty();
        }
        Matcher video = VIDEO_FILE.matcher(path);
        if (video.matches()) {
            return Optional.of(new MediaPath(video.group(1), null, video.group(2)));
        }
        Matcher rendition = RENDITION_FILE.matcher(path);
        if (rendition.matches()) {
            return Optional.of(new MediaPath(rendition.group(1), rendition.group(2), rendition.group(3)));
        }
        return Optional.empty();
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
