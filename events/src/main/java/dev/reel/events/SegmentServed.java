package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.nullOrNonBlank;
import static dev.reel.events.Checks.urlSafeName;
import static dev.reel.events.Checks.validVideoId;

import java.util.Set;

/**
 * An edge answered a request for a file of a rendition; written to {@code reel.playback}.
 *
 * <p>The last six fields come from the player's Common Media Client Data (CMCD, CTA-5004) on the request, when it sent
 * some (hls.js with {@code cmcd} on sends it as the {@code CMCD} query argument); each is {@code null}, and left out of
 * the JSON, when the request did not carry it.
 *
 * @param videoId                the video
 * @param edge                   the edge instance
 * @param rendition              the rendition name
 * @param file                   the file within the rendition, e.g. {@code seg-00001.m4s}, {@code init.mp4} or
 *                               {@code index.m3u8}
 * @param bytes                  bytes sent (less than the file for a Range request)
 * @param cacheHit               whether the edge's cache had the object
 * @param latencyMicros          time to serve the response
 * @param sessionId              CMCD {@code sid}: the player's playback session, as in {@code playback.started} and
 *                               {@code playback.beacon}, so a session's requests join its beacons
 * @param bufferMillis           CMCD {@code bl}: the player's buffer length when it asked, in milliseconds
 * @param measuredThroughputKbps CMCD {@code mtp}: the throughput the player measured, in kbit/s
 * @param bitrateKbps            CMCD {@code br}: the encoded bit rate of the object, in kbit/s
 * @param objectType             CMCD {@code ot}: {@code m} playlist, {@code v} video, {@code a} audio, {@code av} muxed,
 *                               {@code i} init segment, {@code c} caption, {@code tt} timed text, {@code k} key,
 *                               {@code o} other
 * @param startup                CMCD {@code su}: the object is needed urgently, at start-up or after a stall
 */
public record SegmentServed(
        String videoId,
        String edge,
        String rendition,
        String file,
        long bytes,
        boolean cacheHit,
        long latencyMicros,
        String sessionId,
        Long bufferMillis,
        Long measuredThroughputKbps,
        Long bitrateKbps,
        String objectType,
        Boolean startup)
        implements
            EventData {

    /** The CMCD object types (CTA-5004 {@code ot}). */
    public static final Set<String> OBJECT_TYPES = Set.of("m", "a", "v", "av", "i", "c", "tt", "k", "o");

    public SegmentServed {
        validVideoId(videoId);
        nonBlank(edge, "edge");
        urlSafeName(rendition, "rendition");
        nonBlank(file, "file");
        nonNegative(bytes, "bytes");
        nonNegative(latencyMicros, "latencyMicros");
        nullOrNonBlank(sessionId, "sessionId");
        if (sessionId != null && sessionId.length() > 64) {
            throw new IllegalArgumentException("sessionId must have at most 64 characters");
        }
        nullOrNonNegative(bufferMillis, "bufferMillis");
        nullOrNonNegative(measuredThroughputKbps, "measuredThroughputKbps");
        nullOrNonNegative(bitrateKbps, "bitrateKbps");
        if (objectType != null && !OBJECT_TYPES.contains(objectType)) {
            throw new IllegalArgumentException("objectType must be one of " + OBJECT_TYPES + ", was '" + objectType + "'");
        }
    }

    /** A request without CMCD. */
    public SegmentServed(String videoId, String edge, String rendition, String file, long bytes, boolean cacheHit,
            long latencyMicros) {
        this(videoId, edge, rendition, file, bytes, cacheHit, latencyMicros, null, null, null, null, null, null);
    }

    private static void nullOrNonNegative(Long value, String name) {
        if (value != null) {
            nonNegative(value, name);
        }
    }
}
