package dev.reel.transcoder.job;

import dev.reel.transcoder.storage.RenditionUploader.Stored;

/**
 * When a rendition that is still being encoded may be announced: once a viewer who starts it now would play to the
 * end without running out of stored media.
 *
 * <p>A viewer starting now plays the media second t at wall second t; storage holds {@code e} seconds and gains
 * {@code s} media seconds per wall second (the encode speed). Playback never catches up while {@code e + s*t >= t}
 * until everything is stored at {@code t = (D - e) / s}, i.e. when {@code e >= D * (1 - s)}: at once when the encode
 * runs at least at real time, never early when it runs at a fraction of it and little is stored. On top of that a
 * lead of {@code leadSegments} segments (and at least that many segments) absorbs what the formula leaves out: a
 * player sees a new segment only when it re-reads the playlist (every target duration, through the edge's short
 * playlist cache), and ffmpeg's speed wanders around its average.
 *
 * @param leadSegments   the lead, in segments; 0 turns early announcements off (renditions are announced complete)
 * @param segmentSeconds the segment length
 */
public record NoStallStart(int leadSegments, int segmentSeconds) {

    public NoStallStart {
        if (leadSegments < 0 || segmentSeconds <= 0) {
            throw new IllegalArgumentException("leadSegments must not be negative, segmentSeconds must be positive");
        }
    }

    /** The same segment length, with early announcements turned off. */
    public NoStallStart off() {
        return new NoStallStart(0, segmentSeconds);
    }

    /**
     * @param durationSeconds the source's duration
     * @param stored          what is stored of the rendition, from its start
     * @param speed           media seconds encoded per wall-clock second so far (ffmpeg's {@code speed}; 0 unknown)
     */
    public boolean allows(double durationSeconds, Stored stored, double speed) {
        if (leadSegments == 0 || speed <= 0 || stored.segments() < leadSegments) {
            return false;
        }
        double catchUp = durationSeconds * Math.max(0, 1 - speed);
        return stored.seconds() >= catchUp + leadSegments * segmentSeconds;
    }
}
