package dev.reel.edge.http;

import dev.reel.edge.replica.CatalogReplica;
import dev.reel.events.VideoRecord;
import dev.reel.events.Visibility;
import dev.reel.service.auth.PlaybackTokens;
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
 * downloads): 410 for a deleted video, 404 for an unknown one, 403 for a private one without a valid playback token.
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

    /** @param tokens checks tokens of private videos, or {@code null} when no key is configured (private videos get 403) */
    public VideoGate(CatalogReplica catalog, PlaybackTokens tokens) {
        this.catalog = catalog;
        this.tokens = tokens;
    }

    /** The video, or empty once the refusal has been answered. */
    public Optional<Admitted> admit(Request request, Response response, Callback callback, String videoId) {
        Map<String, String> about = Map.of("videoId", videoId);
        if (catalog.isDeleted(videoId)) {
            Responses.error(request, response, callback, HttpStatus.GONE_410, "video deleted", about);
            return Optional.empty();
        }
        VideoRecord video = catalog.video(videoId).orElse(null);
        if (video == null) {
            Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "unknown video", about);
            return Optional.empty();
        }
        String token = Request.extractQueryParameters(request).getValue("token");
        boolean restricted = video.visibility() == Visibility.PRIVATE;
        if (restricted && (tokens == null || !tokens.verify(token, video.videoId(), Instant.now()))) {
            Responses.error(request, response, callback, HttpStatus.FORBIDDEN_403, "missing, invalid or expired playback token",
                    about);
            return Optional.empty();
        }
        return Optional.of(new Admitted(video,
                new Access(restricted ? Playlists.tokenQuery(token) : "", restricted ? "private" : "public")));
    }
}
