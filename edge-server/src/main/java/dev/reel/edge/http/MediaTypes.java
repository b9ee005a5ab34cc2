package dev.reel.edge.http;

/** Content types of what an edge serves. */
public final class MediaTypes {

    public static final String PLAYLIST = "application/vnd.apple.mpegurl";
    public static final String DASH_MANIFEST = "application/dash+xml";
    public static final String INIT_SEGMENT = "video/mp4";
    public static final String MEDIA_SEGMENT = "video/iso.segment";
    public static final String JPEG = "image/jpeg";
    public static final String WEBVTT = "text/vtt;charset=utf-8";
    public static final String HTML = "text/html;charset=utf-8";

    private MediaTypes() {
    }
}
