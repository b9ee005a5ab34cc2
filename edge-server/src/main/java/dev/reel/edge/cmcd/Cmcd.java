package dev.reel.edge.cmcd;

/**
 * The Common Media Client Data (CTA-5004) of one request that Reel keeps; each field is {@code null} when the request
 * did not carry it, or carried it malformed.
 *
 * @param sessionId              {@code sid}
 * @param bufferMillis           {@code bl}, milliseconds
 * @param measuredThroughputKbps {@code mtp}, kbit/s
 * @param bitrateKbps            {@code br}, kbit/s
 * @param objectType             {@code ot}
 * @param startup                {@code su}
 */
public record Cmcd(String sessionId, Long bufferMillis, Long measuredThroughputKbps, Long bitrateKbps, String objectType,
        Boolean startup) {

    /** A request without CMCD. */
    public static final Cmcd NONE = new Cmcd(null, null, null, null, null, null);
}
