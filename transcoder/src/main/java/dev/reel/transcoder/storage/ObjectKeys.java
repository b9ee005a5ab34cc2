package dev.reel.transcoder.storage;

/** The object keys of a video's media (DESIGN.md, "Object storage layout"): deterministic, so a re-run overwrites. */
public final class ObjectKeys {

    /** The name every rendition's init segment is stored under. */
    public static final String INIT = "init.mp4";
    /** The name every rendition's playlist is stored under. */
    public static final String PLAYLIST = "index.m3u8";

    private ObjectKeys() {
    }

    /** {@code media/<videoId>/<rendition>/<file>} */
    public static String renditionFile(String videoId, String rendition, String file) {
        return "media/" + videoId + "/" + rendition + "/" + file;
    }

    /** {@code media/<videoId>/thumb.jpg} */
    public static String poster(String videoId) {
        return "media/" + videoId + "/thumb.jpg";
    }

    /** {@code media/<videoId>/}: everything the transcoder wrote for a video. */
    public static String mediaPrefix(String videoId) {
        return "media/" + videoId + "/";
    }
}
