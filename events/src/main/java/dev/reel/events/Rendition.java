package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.positive;
import static dev.reel.events.Checks.urlSafeName;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * One rung of the HLS ladder as stored under {@code media/<videoId>/<name>/}; what an edge needs to write
 * the master playlist's {@code EXT-X-STREAM-INF} line.
 *
 * @param name             rendition name, e.g. {@code 360p}; part of object keys and URLs
 * @param width            width in pixels
 * @param height           height in pixels
 * @param bandwidth        peak bit rate in bits/s ({@code BANDWIDTH})
 * @param averageBandwidth average bit rate in bits/s ({@code AVERAGE-BANDWIDTH}), at most {@code bandwidth}
 * @param codecs           RFC 6381 codecs string, e.g. {@code avc1.4d401e,mp4a.40.2}
 * @param frameRate        frames per second
 * @param playlistKey      object key of the rendition's {@code index.m3u8}
 * @param segmentCount     number of media segments
 * @param durationSeconds  total duration of the segments
 * @param growing          whether the transcoder is still adding segments: the playlist is an HLS {@code EVENT}
 *                         playlist (no {@code EXT-X-ENDLIST}) that grows while the video is transcoded, and
 *                         {@code segmentCount}, {@code durationSeconds} and the bit rates describe what was stored
 *                         when this was written. {@code false} (and absent in JSON, as before this field existed):
 *                         the rendition is complete, its playlist a {@code VOD} playlist. A complete description of
 *                         a rendition always supersedes a growing one.
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
        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean growing) {

    public Rendition {
        urlSafeName(name, "name");
        positive(width, "width");
        positive(height, "height");
        positive(bandwidth, "bandwidth");
        positive(averageBandwidth, "averageBandwidth");
        if (averageBandwidth > bandwidth) {
            throw new IllegalArgumentException("averageBandwidth " + averageBandwidth
                    + " must not exceed the peak bandwidth " + bandwidth);
        }
        nonBlank(codecs, "codecs");
        positive(frameRate, "frameRate");
        nonBlank(playlistKey, "playlistKey");
        positive(segmentCount, "segmentCount");
        positive(durationSeconds, "durationSeconds");
    }
}
