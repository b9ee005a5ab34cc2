package dev.reel.events;

/** Where a video is in its life; the keys of {@link VideoRecord#transitions()}. */
public enum VideoState {
    /** The original is stored and probed; no transcode has started. */
    UPLOADED,
    /** A transcoder is working on it. */
    TRANSCODING,
    /** At least one rendition is ready, so it plays while the rest of the ladder is transcoded. */
    PLAYABLE,
    /** The whole ladder and the poster are ready. */
    READY,
    /** Transcoding gave up; see {@link VideoRecord#failureReason()}. */
    FAILED,
    /** Deleted by its owner. */
    DELETED
}
