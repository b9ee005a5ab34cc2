package dev.reel.transcoder.storage;

import dev.reel.events.RenditionKind;
import dev.reel.transcoder.ladder.PlannedRendition;

/**
 * A rendition a job writes, as the catalog will describe it: its name (the folder ffmpeg writes it to and the object
 * key prefix it is stored under), what it carries and its picture.
 *
 * @param name      e.g. {@code 360p}, {@code audio}, {@code source}
 * @param kind      {@link RenditionKind#VIDEO} or {@link RenditionKind#AUDIO}
 * @param width     pixels; 0 for audio
 * @param height    pixels; 0 for audio
 * @param frameRate frames per second; 0 for audio
 * @param interim   offered to players only until the ladder is complete (a passthrough that does not fit it)
 */
public record OutputRendition(String name, RenditionKind kind, int width, int height, double frameRate, boolean interim) {

    /** An encoded rung. */
    public static OutputRendition of(PlannedRendition rung) {
        return new OutputRendition(rung.name(), RenditionKind.VIDEO, rung.width(), rung.height(), rung.frameRate(), false);
    }

    /** The video's one audio rendition. */
    public static OutputRendition audio(String name) {
        return new OutputRendition(name, RenditionKind.AUDIO, 0, 0, 0, false);
    }

    public boolean isAudio() {
        return kind == RenditionKind.AUDIO;
    }
}
