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
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.auth.Viewer;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.Responses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.ByteRange;
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
 * served; a private video needs a valid playback token on every URL (or its owner's API key), and without one it is
 * answered as an unknown id.
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
    private final ApiKeys keys;
    private final MediaStorage storage;
    private final Executor storageReads;
    private final PlaybackEvents events;
    private final String edgeId;
    private final Duration transcodingTtl;
    private final ContentSender sender = new ContentSender();

    /**
     * @param tokens         checks tokens of private videos, or {@code null} when no key is configured (then only the
     *                       owner's API key opens a private video)
     * @param keys           the API keys: a private video's owner may present theirs instead of a token
     * @param storage        reads single ranges of objects the cache does not hold, on {@code storageReads}
     * @param transcodingTtl how long playlists of videos still transcoding are cached and may be cached by players
     */
    public MediaHandler(CatalogReplica catalog, SegmentCache cache, MediaStorage storage, Executor storageReads,
            PlaybackTokens tokens, ApiKeys keys, PlaybackEvents events, String edgeId, Duration transcodingTtl) {
        this.catalog = catalog;
        this.cache = cache;
        this.storage = storage;
        this.storageReads = storageReads;
        this.tokens = tokens;
        this.keys = keys;
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
        boolean restricted = video != null && video.visibility() == Visibility.PRIVATE;
        // Only a private video needs its viewer (key, token); the hit path of public ones reads neither.
        Viewer viewer = restricted ? Viewer.of(request, keys) : Viewer.ANONYMOUS;
        // A private video its viewer may not see is answered exactly as an unknown id: 404, same body.
        if (video == null || !viewer.maySee(video.videoId(), video.owner(), restricted, tokens, Instant.now())) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "unknown video", about);
        }
        Access access = new Access(restricted && viewer.token() != null ? Playlists.tokenQuery(viewer.token()) : "",
                restricted ? "private" : "public");
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
        if (video.renditions().isEmpty()) {
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
        Optional<ByteRange> range = path.isRenditionPlaylist() ? Optional.empty() : ContentSender.singleRange(request);
        if (range.isPresent() && !cache.holdsOrReads(key)) {
            rangeOfAMiss(request, response, callback, video, path, key, range.get(), access, cacheControl, ttl);
            return true;
        }
        whole(request, response, callback, video, path, key, access, cacheControl, ttl);
        return true;
    }

    /**
     * A single range of an object the cache neither holds nor is reading: only the range is read from storage (a
     * player seeking into a segment waits for its bytes, not the whole object), and once it is answered the cache
     * reads the whole object once, in the background, so later requests are hits. A range that starts past the end
     * is answered from the whole object (416 with the size).
     */
    private void rangeOfAMiss(Request request, Response response, Callback callback, VideoRecord video, MediaPath path,
            String key, ByteRange range, Access access, String cacheControl, Duration ttl) {
        CompletableFuture.supplyAsync(() -> storage.readRange(key, range.first(), range.last()), storageReads)
                .whenComplete((part, failure) -> {
                    if (failure != null) {
                        if (MediaStorage.isRefused(unwrap(failure))) {
                            whole(request, response, callback, video, path, key, access, cacheControl, ttl);
                        } else {
                            fail(request, response, callback, failure);
                        }
                        return;
                    }
                    cache.get(key, ttl); // the background fill: single flight, and a failed one leaves nothing behind
                    sender.send(request, response, servedCallback(request, response, callback, video, path, false), part,
                            path.contentType(), part.etag(), cacheControl);
                });
    }

    private void whole(Request request, Response response, Callback callback, VideoRecord video, MediaPath path,
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
            sender.send(request, response, servedCallback(request, response, callback, video, path, lookup.hit()), key,
                    bytes, path.contentType(), etag, lookup.object().lastModified(), cacheControl);
        });
    }

    private Callback servedCallback(Request request, Response response, Callback callback, VideoRecord video,
            MediaPath path, boolean hit) {
        return path.segmentNumber() > 0 || MediaPath.INIT.equals(path.file())
                ? reportingServed(request, response, callback, video, path, hit)
                : callback;
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

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static void fail(Request request, Response response, Callback callback, Throwable failure) {
        Throwable cause = unwrap(failure);
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
