package dev.reel.edge.http;

import dev.reel.edge.cache.SegmentCache;
import dev.reel.edge.playback.PlaybackEvents;
import dev.reel.edge.replica.CatalogReplica;
import dev.reel.edge.storage.MediaStorage;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.Rendition;
import dev.reel.events.SegmentServed;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.Responses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /v/...}: master playlists built from the catalog replica, and rendition playlists, init segments, media
 * segments and posters from the cache. Only {@link MediaPath}s of videos and renditions the catalog knows are
 * served; a private video needs a valid playback token on every URL.
 */
public final class MediaHandler extends Handler.Abstract.NonBlocking {

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    /**
     * Playlists of a finished video change only if it is deleted: a minute. While transcoding (the master gains
     * rungs, a growing rendition playlist gains segments): {@code transcodingTtl}, a few seconds.
     */
    private static final int FINISHED_PLAYLIST_SECONDS = 60;
    private static final int POSTER_SECONDS = 3600;
    /** Segments never change under their name: a year, and browsers need not revalidate. */
    private static final int IMMUTABLE_SECONDS = 31_536_000;

    private static final String STORAGE_RETRY_AFTER_SECONDS = "2";
    private static final Duration VIEW_ACK_WAIT = Duration.ofSeconds(2);

    private final CatalogReplica catalog;
    private final SegmentCache cache;
    private final PlaybackTokens tokens;
    private final PlaybackEvents events;
    private final String edgeId;
    private final Duration transcodingTtl;
    private final ContentSender sender = new ContentSender();

    /**
     * @param tokens         checks tokens of private videos, or {@code null} when no key is configured (private videos get 403)
     * @param transcodingTtl how long playlists of videos still transcoding are cached and may be cached by players
     */
    public MediaHandler(CatalogReplica catalog, SegmentCache cache, PlaybackTokens tokens, PlaybackEvents events,
            String edgeId, Duration transcodingTtl) {
        this.catalog = catalog;
        this.cache = cache;
        this.tokens = tokens;
        this.events = events;
        this.edgeId = edgeId;
        this.transcodingTtl = transcodingTtl;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Optional<MediaPath> parsed = MediaPath.parse(Request.getPathInContext(request));
        if (parsed.isEmpty()) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "not a media URL");
        }
        if (!Responses.isGetOrHead(request)) {
            return Responses.methodNotAllowed(request, response, callback, "GET, HEAD, OPTIONS");
        }
        MediaPath path = parsed.get();
        Map<String, String> about = Map.of("videoId", path.videoId());
        if (catalog.isDeleted(path.videoId())) {
            return Responses.error(request, response, callback, HttpStatus.GONE_410, "video deleted", about);
        }
        VideoRecord video = catalog.video(path.videoId()).orElse(null);
        if (video == null) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "unknown video", about);
        }
        String token = Request.extractQueryParameters(request).getValue("token");
        boolean restricted = video.visibility() == Visibility.PRIVATE;
        if (restricted && (tokens == null || !tokens.verify(token, video.videoId(), Instant.now()))) {
            return Responses.error(request, response, callback, HttpStatus.FORBIDDEN_403,
                    "missing, invalid or expired playback token", about);
        }
        Access access = new Access(restricted ? Playlists.tokenQuery(token) : "", restricted ? "private" : "public");
        if (path.isMaster()) {
            return master(request, response, callback, video, access);
        }
        if (path.isPoster()) {
            if (video.posterKey() == null) {
                return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "no poster yet", about);
            }
            return fromCache(request, response, callback, video, path, video.posterKey(), access,
                    access.cacheControl(POSTER_SECONDS), null);
        }
        Rendition rendition = video.renditions().stream().filter(r -> r.name().equals(path.rendition())).findFirst().orElse(null);
        if (rendition == null || !RenditionFiles.mayExist(rendition, path)) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "no such rendition file", about);
        }
        boolean changingPlaylist = path.isRenditionPlaylist() && RenditionFiles.playlistMayChange(video, rendition);
        int playlistMaxAge = changingPlaylist ? transcodingSeconds() : FINISHED_PLAYLIST_SECONDS;
        String cacheControl = path.isRenditionPlaylist()
                ? access.cacheControl(playlistMaxAge)
                : access.cacheControl(IMMUTABLE_SECONDS) + ", immutable";
        // segments and init segments never change once stored; a playlist that may still change is re-read after the ttl
        Duration ttl = changingPlaylist ? transcodingTtl : null;
        return fromCache(request, response, callback, video, path, path.objectKeyBeside(rendition.playlistKey()), access,
                cacheControl, ttl);
    }

    /** How a response is shaped for the viewer's access: the query that carries the token, and cache scope. */
    private record Access(String query, String scope) {
        String cacheControl(int seconds) {
            return scope + ", max-age=" + seconds;
        }
    }

    private boolean master(Request request, Response response, Callback callback, VideoRecord video, Access access) {
        if (video.renditions().stream().noneMatch(Rendition::hasVideo)) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "no rendition is ready yet",
                    Map.of("videoId", video.videoId(), "state", video.state().name()));
        }
        byte[] body = Playlists.master(video, access.query()).getBytes(StandardCharsets.UTF_8);
        String etag = "\"m" + video.version() + "t" + Integer.toHexString(access.query().hashCode()) + "\"";
        Runnable answer = () -> sender.send(request, response, callback, video.videoId() + "/master.m3u8", body,
                MediaTypes.PLAYLIST, etag, video.updatedAt(), access.cacheControl(playlistSeconds(video)));
        if (!HttpMethod.GET.is(request.getMethod())) {
            answer.run();
            return true;
        }
        String session = Request.extractQueryParameters(request).getValue("session");
        // The view is a playback.started event. Answering once Kafka has it means an edge that crashes after answering
        // has lost no view; the wait is bounded, so a slow or absent Kafka delays a player by VIEW_ACK_WAIT at most
        // (the event may still arrive: the producer keeps retrying it, else it is counted as dropped).
        events.publish(new PlaybackStarted(video.videoId(), edgeId,
                session != null && SESSION_ID.matcher(session).matches() ? session : UUID.randomUUID().toString(),
                request.getHeaders().get(HttpHeader.USER_AGENT)))
                .completeOnTimeout(null, VIEW_ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((acked, dropped) -> answer.run());
        return true;
    }

    private boolean fromCache(Request request, Response response, Callback callback, VideoRecord video, MediaPath path,
            String key, Access access, String cacheControl, Duration ttl) {
        cache.get(key, ttl).whenComplete((lookup, failure) -> {
            if (failure != null) {
                fail(request, response, callback, failure);
                return;
            }
            byte[] bytes = lookup.object().bytes();
            String etag = lookup.object().etag();
            if (path.isRenditionPlaylist() && !access.query().isEmpty()) {
                bytes = Playlists.withQuery(new String(bytes, StandardCharsets.UTF_8), access.query())
                        .getBytes(StandardCharsets.UTF_8);
                etag = etag.substring(0, etag.length() - 1) + "t" + Integer.toHexString(access.query().hashCode()) + "\"";
            }
            Callback done = path.segmentNumber() > 0 || MediaPath.INIT.equals(path.file())
                    ? reportingServed(request, response, callback, video, path, lookup.hit())
                    : callback;
            sender.send(request, response, done, key, bytes, path.contentType(), etag, lookup.object().lastModified(),
                    cacheControl);
        });
        return true;
    }

    private Callback reportingServed(Request request, Response response, Callback callback, VideoRecord video, MediaPath path,
            boolean hit) {
        if (!HttpMethod.GET.is(request.getMethod())) {
            return callback;
        }
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                long micros = Math.max(0, (System.nanoTime() - request.getBeginNanoTime()) / 1_000);
                events.publish(new SegmentServed(video.videoId(), edgeId, path.rendition(), path.file(),
                        Response.getContentBytesWritten(response), hit, micros));
                super.succeeded();
            }
        };
    }

    private static void fail(Request request, Response response, Callback callback, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (MediaStorage.isNotFound(cause)) {
            Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "object missing from storage");
            return;
        }
        // 503 + Retry-After: the edge is fine and the object exists; players and HAProxy retry it shortly
        response.getHeaders().put(HttpHeader.RETRY_AFTER, STORAGE_RETRY_AFTER_SECONDS);
        Responses.failure(request, response, callback,
                new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503, "object storage unavailable, retry shortly", cause));
    }

    private int playlistSeconds(VideoRecord video) {
        return video.state() == VideoState.READY ? FINISHED_PLAYLIST_SECONDS : transcodingSeconds();
    }

    private int transcodingSeconds() {
        return (int) Math.max(1, transcodingTtl.toSeconds());
    }
}
