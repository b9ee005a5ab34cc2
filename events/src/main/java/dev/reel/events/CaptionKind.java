package dev.reel.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a text track is for. Lower-case in JSON. */
public enum CaptionKind {
    /** A translation of the dialogue, for viewers who hear the audio but do not understand it. */
    @JsonProperty("subtitles")
    SUBTITLES,
    /**
     * A transcription of dialogue and sounds, for viewers who cannot hear the audio (HLS lists it with the
     * accessibility characteristics {@code public.accessibility.transcribes-spoken-dialog} and
     * {@code public.accessibility.describes-music-and-sound}).
     */
    @JsonProperty("captions")
    CAPTIONS
}
