package dev.reel.events;

import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.nonNull;
import static dev.reel.events.Checks.positive;
import static dev.reel.events.Checks.urlSafeName;

/**
 * One rendition a chunk task encodes, with everything ffmpeg needs to encode it exactly as every other chunk of the
 * same rendition is encoded (identical settings give identical codec configurations, so the chunks share one init
 * segment).
 *
 * @param name        the rendition, e.g. {@code 360p} or {@code audio}; its objects go under {@code media/<id>/<name>/}
 * @param kind        {@link RenditionKind#VIDEO} or {@link RenditionKind#AUDIO}
 * @param stream      the original's stream it is made from ({@code -map 0:<stream>})
 * @param width       pixels (0 for audio)
 * @param height      pixels (0 for audio)
 * @param frameRate   frames per second (0 for audio)
 * @param profile     H.264 profile, e.g. {@code main}; {@code null} for audio
 * @param level       H.264 level, e.g. {@code 3.1}; {@code null} for audio
 * @param kbps        target bit rate (video: x264's target; audio: AAC)
 * @param maxrateKbps video peak (VBV max rate); 0 for audio
 * @param bufsizeKbps video VBV buffer; 0 for audio
 * @param copy        audio only: the original's audio is copied as it is (AAC-LC that plays everywhere), not encoded
 */
public record TaskRendition(String name, RenditionKind kind, int stream, int width, int height, double frameRate, String profile,
        String level, int kbps, int maxrateKbps, int bufsizeKbps, boolean copy) {

    /** An encoded rendition. */
    public TaskRendition(String name, RenditionKind kind, int stream, int width, int height, double frameRate, String profile,
            String level, int kbps, int maxrateKbps, int bufsizeKbps) {
        this(name, kind, stream, width, height, frameRate, profile, level, kbps, maxrateKbps, bufsizeKbps, false);
    }

    public TaskRendition {
        urlSafeName(name, "name");
        nonNull(kind, "kind");
        nonNegative(stream, "stream");
        positive(kbps, "kbps");
        if (kind == RenditionKind.VIDEO) {
            positive(width, "width");
            positive(height, "height");
            positive(frameRate, "frameRate");
            nonNull(profile, "profile");
            nonNull(level, "level");
            positive(maxrateKbps, "maxrateKbps");
            positive(bufsizeKbps, "bufsizeKbps");
        } else if (kind != RenditionKind.AUDIO) {
            throw new IllegalArgumentException("a task encodes video or audio renditions, not " + kind);
        }
        if (copy && kind != RenditionKind.AUDIO) {
            throw new IllegalArgumentException("only audio is copied by a task, not " + name);
        }
    }
}
