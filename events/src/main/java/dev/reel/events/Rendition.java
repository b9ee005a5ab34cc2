package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.positive;
import static dev.reel.events.Checks.urlSafeName;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * One rendition of a video as stored under {@code media/<videoId>/<name>/}; what an edge needs to write the master
 * playlist's {@code EXT-X-STREAM-INF} line (a video rendition) or {@code EXT-X-MEDIA} line (the audio rendition).
 *
 * @param name             rendition name, e.g. {@code 360p}; part of object keys and URLs
 * @param width            width in pixels; 0 for an audio rendition
 * @param height           height in pixels; 0 for an audio rendition
 * @param bandwidth        peak bit rate in bits/s ({@code BANDWIDTH})
 * @param averageBandwidth average bit rate in bits/s ({@code AVERAGE-BANDWIDTH}), at most {@code bandwidth}
 * @param codecs           RFC 6381 codecs string, e.g. {@code avc1.4d401e,mp4a.40.2}
 * @param frameRate        frames per second; 0 for an audio rendition
 * @param playlistKey      object key of the rendition's {@code index.m3u8}
 * @param segmentCount     number of media segments
 * @param durationSeconds  total duration of the segments
 * @param growing          whether the transcoder is still adding segments: the playlist is an HLS {@code EVENT}
 *                         playlist (no {@code EXT-X-ENDLIST}) that grows while the video is transcoded, and
 *                         {@code segmentCount}, {@code durationSeconds} and the bit rates describe what was stored
 *                         when this was written. {@code false} (and absent in JSON, as before this field existed):
 *                         the rendition is complete, its playlist a {@code VOD} playlist. A complete description of
 *                         a rendition always supersedes a growing one.
 * @param kind             muxed (video with its audio, as every rendition before demuxed audio; also when absent in
 *                         JSON), video (video only) or audio (audio only, shared by the video renditions)
 * @param interim          whether the rendition only bridges the time until the ladder is complete: a passthrough of
 *                         the original that does not fit the ladder's caps. Players are offered it only until the
 *                         video is READY; its files stay served for players that chose it earlier.
 */
public record Rendition(
        String name,
        int width,
        int height,
        long bandwidth,
        long averageBandwidth,
        String codecs,
        double frameRate,
        String playlistKey,
        int segmentCount,
        double durationSeconds,
        // absent (JSON written before the field existed) reads as false; every other missing number is an error
        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean growing,
        RenditionKind kind,
        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean interim) {

    public Rendition {
        urlSafeName(name, "name");
        kind = kind == null ? RenditionKind.MUXED : kind;
        if (kind == RenditionKind.AUDIO) {
            if (width != 0 || height != 0 || frameRate != 0) {
                throw new IllegalArgumentException("an audio rendition has no width, height or frame rate");
            }
        } else {
            positive(width, "width");
            positive(height, "height");
            positive(frameRate, "frameRate");
        }
        positive(bandwidth, "bandwidth");
        positive(averageBandwidth, "averageBandwidth");
        if (averageBandwidth > bandwidth) {
            throw new IllegalArgumentException("averageBandwidth " + averageBandwidth
                    + " must not exceed the peak bandwidth " + bandwidth);
        }
        nonBlank(codecs, "codecs");
        nonNegative(frameRate, "frameRate");
        nonBlank(playlistKey, "playlistKey");
        positive(segmentCount, "segmentCount");
        positive(durationSeconds, "durationSeconds");
    }

    /** A rendition with its audio muxed in, as every rendition was before demuxed audio. */
    public Rendition(String name, int width, int height, long bandwidth, long averageBandwidth, String codecs,
            double frameRate, String playlistKey, int segmentCount, double durationSeconds, boolean growing) {
        this(name, width, height, bandwidth, averageBandwidth, codecs, frameRate, playlistKey, segmentCount, durationSeconds,
                growing, RenditionKind.MUXED, false);
    }

    /** Whether players play this rendition's pictures (a muxed or video rendition), as opposed to the audio rendition. */
    public boolean hasVideo() {
        return kind != RenditionKind.AUDIO;
    }
}
