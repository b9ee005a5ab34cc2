package dev.reel.edge.http;

/** Content types and cache lifetimes of what an edge serves. */
public final class MediaTypes {

    public static final String PLAYLIST = "application/vnd.apple.mpegurl";
    public static final String INIT_SEGMENT = "video/mp4";
    public static final String MEDIA_SEGMENT = "video/iso.segment";
    public static final String JPEG = "image/jpeg";
    public static final String JSON = "application/json";
    public static final String HTML = "text/html;charset=utf-8";

    /** Segments never change under their name: a year, and browsers need not revalidate. */
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private MediaTypes() {
    }
}
