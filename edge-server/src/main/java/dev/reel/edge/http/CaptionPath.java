package dev.reel.edge.http;

import java.util.Optional;

/**
 * The URLs of a video's text tracks: {@code /v/<videoId>/captions/<language>.m3u8} (the track's HLS media playlist) and
 * {@code /v/<videoId>/captions/<language>.vtt} (its WebVTT file). The language must also be one of the video's tracks
 * in the catalog, whose record gives the object key.
 *
 * @param videoId  the video
 * @param language the track's language as written in the URL (a catalog track matches it exactly)
 * @param playlist the media playlist rather than the WebVTT file
 */
public record CaptionPath(String videoId, String language, boolean playlist) {

    /** Where the tracks are, relative to the master playlist. */
    public static final String PREFIX = "captions/";
    public static final String PLAYLIST = ".m3u8";
    public static final String WEBVTT = ".vtt";

    /** The longest language tag (BCP 47 allows 35 characters). */
    static final int MAX_LANGUAGE = 35;

    /** Read by hand, as {@link MediaPath#parse} and for the same reason; {@code MediaPathTest} checks it too. */
    public static Optional<CaptionPath> parse(String path) {
        int idEnd = MediaPath.videoIdEnd(path);
        if (idEnd < 0 || !path.startsWith(PREFIX, idEnd + 1)) {
            return Optional.empty();
        }
        int languageFrom = idEnd + 1 + PREFIX.length();
        int dot = path.indexOf('.', languageFrom);
        if (!MediaPath.isName(path, languageFrom, dot, false, MAX_LANGUAGE)) {
            return Optional.empty();
        }
        int extension = path.length() - dot;
        boolean playlist = extension == PLAYLIST.length() && path.endsWith(PLAYLIST);
        if (!playlist && !(extension == WEBVTT.length() && path.endsWith(WEBVTT))) {
            return Optional.empty();
        }
        return Optional
                .of(new CaptionPath(path.substring(MediaPath.VIDEO_PREFIX.length(), idEnd), path.substring(languageFrom, dot),
                        playlist));
    }
}
