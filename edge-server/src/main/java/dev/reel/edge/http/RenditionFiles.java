package dev.reel.edge.http;

import dev.reel.events.Rendition;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;

/**
 * What the catalog says about the files of a rendition. A complete rendition is fixed: its segment count bounds the
 * segment URLs, and once the video is READY its playlist no longer changes. A growing rendition (published while
 * the transcoder still encodes) gains segments and a longer playlist in storage without a new catalog event, so
 * only storage can say whether a segment exists yet, and its playlist must be re-read soon.
 */
final class RenditionFiles {

    private RenditionFiles() {
    }

    /**
     * Whether {@code path} may name a stored file of {@code rendition}: any segment of a growing rendition (storage
     * answers 404 for one not stored yet, and a 404 is never cached), only those up to the segment count of a
     * complete one.
     */
    static boolean mayExist(Rendition rendition, MediaPath path) {
        return rendition.growing() || path.segmentNumber() <= rendition.segmentCount();
    }

    /**
     * Whether the rendition's stored playlist may still be replaced: while the video is not READY (a growing
     * playlist gains segments, and the transcoder replaces it with the final one), and for a rendition still
     * described as growing even if the video is READY, so a growing playlist is never kept as if final.
     */
    static boolean playlistMayChange(VideoRecord video, Rendition rendition) {
        return video.state() != VideoState.READY || rendition.growing();
    }
}
