package dev.reel.service.auth;

import java.time.Instant;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Who is asking about a video: the owner whose API key came with the request ({@code Authorization: Bearer}), and the
 * playback token it carried ({@code ?token=}, or the {@value #TOKEN_HEADER} header, which pages use to keep it out of
 * URLs that are logged), either or both absent. Every service decides what a request may see of
 * a video here, so a private video is invisible the same way everywhere.
 *
 * @param owner the owner of the presented key, or {@code null} for an anonymous request
 * @param token the presented playback token, or {@code null}
 */
public record Viewer(String owner, String token) {

    public static final Viewer ANONYMOUS = new Viewer(null, null);
    /** The header a page sends a playback token in instead of {@code ?token=} (the query argument wins). */
    public static final String TOKEN_HEADER = "X-Reel-Playback-Token";

    /** The viewer of a request: its key's owner (unknown and revoked keys count as none) and its token. */
    public static Viewer of(Request request, ApiKeys keys) {
        String owner = keys.ownerOf(request.getHeaders().get(HttpHeader.AUTHORIZATION)).orElse(null);
        String token = Request.extractQueryParameters(request).getValue("token");
        return new Viewer(owner, token != null ? token : request.getHeaders().get(TOKEN_HEADER));
    }

    public boolean isOwnerOf(String videoOwner) {
        return owner != null && owner.equals(videoOwner);
    }

    /**
     * Whether this viewer may learn anything about a video: anyone for a public or unlisted one (unlisted videos are
     * reachable by id, never listed), and for a private one only its owner or the holder of a valid playback token for
     * it. Callers answer a refusal exactly as they answer an unknown id.
     *
     * @param restricted the video is private
     * @param tokens     the token checker, or {@code null} when this service has no token key (tokens then never count)
     */
    public boolean maySee(String videoId, String videoOwner, boolean restricted, PlaybackTokens tokens, Instant now) {
        if (!restricted || isOwnerOf(videoOwner)) {
            return true;
        }
        return tokens != null && token != null && tokens.verify(token, videoId, now);
    }
}
