package dev.reel.edge.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern PATH = Pattern.compile("/v/([A-Za-z0-9_-]{1,128})/captions/([A-Za-z0-9-]{1,35})\\.(m3u8|vtt)");

    public static Optional<CaptionPath> parse(String path) {
        Matcher matcher = PATH.matcher(path);
        return matcher.matches()
                ? Optional.of(new CaptionPath(matcher.group(1), matcher.group(2), "m3u8".equals(matcher.group(3))))
                : Optional.empty();
    }
}
