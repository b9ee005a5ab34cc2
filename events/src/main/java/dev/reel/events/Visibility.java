package dev.reel.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who may list and play a video. Lower-case in JSON. */
public enum Visibility {
    /** Listed and playable by anyone. */
    @JsonProperty("public")
    PUBLIC,
    /** Playable by anyone with the link, not listed. */
    @JsonProperty("unlisted")
    UNLISTED,
    /** Playable by its owner only. */
    @JsonProperty("private")
    PRIVATE
}
