package dev.reel.edge.http;

import dev.reel.edge.replica.CatalogReplica;
import dev.reel.events.VideoRecord;
import dev.reel.events.Visibility;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.auth.Viewer;
import dev.reel.service.http.Responses;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Whether a viewer may have a video's media, the same for every media URL (playlists, manifests, segments, poster,
 * downloads): 410 for a deleted video, and 404 for an unknown one and, with exactly the same body, for a private one
 * asked for without its owner's API key or a valid playback token.
 */
public final class VideoGate {

    /**
     * How an answer is shaped for the viewer's access: the query that carries the token into URLs, and the cache scope.
     *
     * @param query {@code ""}, or {@code ?token=...} for a private video
     * @param scope {@code public} or {@code private}
     */
    public record Access(String query, String scope) {
        public String cacheControl(int seconds) {
            return scope + ", max-age=" + seconds;
        }
    }

    /** A video the viewer may have, and how to answer for it. */
    public record Admitted(VideoRecord video, Access access) {
    }

    private final CatalogReplica catalog;
    private final PlaybackTokens tokens;
    private final ApiKeys keys;

    /**
     * @param tokens checks tokens of private videos, or {@code null} when no key is configured (then only the owner's
     *               API key opens a private video)
     * @param keys   the API keys: a private video's owner may present theirs instead of a token
     */
    public VideoGate(CatalogReplica catalog, PlaybackTokens tokens, ApiKeys keys) {
        this.catalog = catalog;
        this.tokens = tokens;
        this.keys = keys;
    }

    /** The video, or empty once the refusal has been answered. */
    public Optional<Admitted> admit(Request request, Response response, Callback callback, String videoId) {
        Optional<Admitted> admitted = admitted(request, videoId);
        if (admitted.isEmpty()) {
            Map<String, String> about = Map.of("videoId", videoId);
            if (isGone(videoId)) {
                Responses.error(request, response, callback, HttpStatus.GONE_410, "video deleted", about);
            } else {
                // A private video its viewer may not see is answered exactly as an unknown id: 404, same body.
                Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "unknown video", about);
            }
        }
        return admitted;
    }

    /** Whether the video was deleted (answered 410), among the deletions the catalog replica remembers. */
    public boolean isGone(String videoId) {
        return catalog.isDeleted(videoId);
    }

    /** The video, if the viewer may have it; answers nothing. */
    public Optional<Admitted> admitted(Request request, String videoId) {
        if (isGone(videoId)) {
            return Optional.empty();
        }
        VideoRecord video = catalog.video(videoId).orElse(null);
        boolean restricted = video != null && video.visibility() == Visibility.PRIVATE;
        // Only a private video needs its viewer (key, token); the hit path of public ones reads neither.
        Viewer viewer = restricted ? Viewer.of(request, keys) : Viewer.ANONYMOUS;
        if (video == null || !viewer.maySee(video.videoId(), video.owner(), restricted, tokens, Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(new Admitted(video,
                new Access(restricted && viewer.token() != null ? Playlists.tokenQuery(viewer.token()) : "",
                        restricted ? "private" : "public")));
    }
}
