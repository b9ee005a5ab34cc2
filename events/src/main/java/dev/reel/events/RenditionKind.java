package dev.reel.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a rendition's segments carry. Lower-case in JSON; absent (written before the field existed) means {@link #MUXED}. */
public enum RenditionKind {
    /** Video with the audio muxed into the same segments: every rendition written before demuxed audio. */
    @JsonProperty("muxed")
    MUXED,
    /** Video only; plays with the video's {@link #AUDIO} rendition, if it has one (HLS {@code EXT-X-MEDIA} audio group). */
    @JsonProperty("video")
    VIDEO,
    /** Audio only, shared by every {@link #VIDEO} rendition of the video. */
    @JsonProperty("audio")
    AUDIO
}
