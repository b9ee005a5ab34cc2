package dev.reel.edge.http;

import dev.reel.edge.cache.SegmentCache;
import dev.reel.edge.cmcd.Cmcd;
import dev.reel.edge.cmcd.CmcdParser;
import dev.reel.edge.http.VideoGate.Access;
import dev.reel.edge.playback.PlaybackEvents;
import dev.reel.edge.replica.VideoChanges;
import dev.reel.edge.storage.MediaStorage;
import dev.reel.events.CaptionTrack;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.SegmentServed;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.Responses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
import org.eclipse.jetty.util.Fields;

/**
 * {@code /v/...}: master playlists (with the text tracks), DASH manifests and text-track playlists built from the
 * catalog replica, and WebVTT files, rendition playlists, init segments, media segments, posters and storyboards (a
 * WebVTT file of thumbnail cues and the sprite it names) from the cache.
 * Only {@link MediaPath}s of videos and renditions the catalog knows are served; a private video needs a valid playback
 * token on every URL (or its owner's API key), and without one it is answered as an unknown id ({@link VideoGate}).
 * Every rendition playlist, init segment and media segment answered to a GET is reported as {@code segment.served},
 * with the player's CMCD when the request carried some ({@link CmcdParser}).
 *
 * <p>A master playlist asked for with {@code Prefer: wait=N} ({@link PreferWait}) before its video has a rendition to
 * play (or before this edge has read the video at all) is held until the catalog replica reads one, for at most N
 * seconds ({@link #MAX_WAIT}), then answered as usual: a page opened during an upload starts playing the moment the
 * video is PLAYABLE instead of at its next poll.
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
    /** The longest a master playlist is held for its video's first rendition: well within HAProxy's 30 s for an answer. */
    static final Duration MAX_WAIT = Duration.ofSeconds(20);

    private final VideoGate gate;
    private final SegmentCache cache;
    private final MediaStorage storage;
    private final Executor storageReads;
    private final PlaybackEvents events;
    private final String edgeId;
    private final Duration transcodingTtl;
    private final CmcdParser cmcd;
    private final VideoChanges changes;
    private final ContentSender sender = new ContentSender();

    /**
     * @param gate           who may have which video's media
     * @param storage        reads single ranges of objects the cache does not hold, on {@code storageReads}
     * @param transcodingTtl how long playlists of videos still transcoding are cached and may be cached by players
     * @param changes        where a master playlist waits for its video's next record ({@code Prefer: wait})
     */
    public MediaHandler(VideoGate gate, SegmentCache cache, MediaStorage storage, Executor storageReads, PlaybackEvents events,
            String edgeId, Duration transcodingTtl, CmcdParser cmcd, VideoChanges changes) {
        this.gate = gate;
        this.cache = cache;
        this.storage = storage;
        this.storageReads = storageReads;
        this.events = events;
        this.edgeId = edgeId;
        this.transcodingTtl = transcodingTtl;
        this.cmcd = cmcd;
        this.changes = changes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requested = Request.getPathInContext(request);
        Optional<CaptionPath> caption = CaptionPath.parse(requested);
        Optional<MediaPath> parsed = caption.isPresent() ? Optional.empty() : MediaPath.parse(requested);
        if (caption.isEmpty() && parsed.isEmpty()) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "not a media URL");
        }
        if (!Responses.isGetOrHead(request)) {
            return Responses.methodNotAllowed(request, response, callback, "GET, HEAD, OPTIONS");
        }
        String videoId = caption.map(CaptionPath::videoId).orElseGet(() -> parsed.orElseThrow().videoId());
        if (parsed.isPresent() && parsed.get().isMaster()) {
            Duration wait = PreferWait.of(request.getHeaders(), MAX_WAIT);
            if (wait.isPositive()) {
                serveOnceItPlays(request, response, callback, parsed.get(), System.nanoTime() + wait.toNanos());
                return true;
            }
        }
        return serve(request, response, callback, videoId, caption, parsed);
    }

    /** Answers the master playlist as soon as the viewer could play it, or at the deadline, whichever comes first. */
    private void serveOnceItPlays(Request request, Response response, Callback callback, MediaPath path, long deadline) {
        String videoId = path.videoId();
        long left = deadline - System.nanoTime();
        // registered before looking, so a record read in between wakes it
        CompletableFuture<Boolean> next = changes.next(videoId, Duration.ofNanos(Math.max(0, left)));
        if (left <= 0 || settled(request, videoId)) {
            next.complete(false);
            serve(request, response, callback, videoId, Optional.empty(), Optional.of(path));
            return;
        }
        next.whenCompleteAsync((changed, failure) -> {
            if (Boolean.TRUE.equals(changed)) {
                serveOnceItPlays(request, response, callback, path, deadline);
            } else {
                serve(request, response, callback, videoId, Optional.empty(), Optional.of(path));
            }
        }, storageReads);
    }

    /** Whether the answer is final: the viewer could play the video, or it failed or is gone. */
    private boolean settled(Request request, String videoId) {
        return gate.admitted(request, videoId).map(a -> a.video().state() == VideoState.FAILED
                || a.video().renditions().stream().anyMatch(Rendition::hasVideo)).orElseGet(() -> gate.isGone(videoId));
    }

    private boolean serve(Request request, Response response, Callback callback, String videoId,
            Optional<CaptionPath> caption, Optional<MediaPath> parsed) {
        Optional<VideoGate.Admitted> admitted = gate.admit(request, response, callback, videoId);
        if (admitted.isEmpty()) {
            return true;
        }
        VideoRecord video = admitted.get().video();
        Access access = admitted.get().access();
        if (caption.isPresent()) {
            return caption(request, response, callback, video, caption.get(), access);
        }
        MediaPath path = parsed.get();
        Map<String, String> about = Map.of("videoId", path.videoId());
        if (path.isMaster()) {
            return master(request, response, callback, video, access);
        }
        if (path.isManifest()) {
            return manifest(request, response, callback, video, access);
        }
        if (path.isPoster()) {
            if (video.posterKey() == null) {
                return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "no poster yet", about);
            }
            return fromCache(request, response, callback, video, path, video.posterKey(), access,
                    access.cacheControl(POSTER_SECONDS), null);
        }
        if (path.isStoryboard()) {
            if (video.storyboardKey() == null) {
                return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404,
                        "no storyboard (yet: it is made with the whole ladder)", about);
            }
            // the sprite beside the WebVTT file, as the file names it; neither changes once the video is READY
            String key = path.objectKeyBeside(video.storyboardKey());
            return fromCache(request, response, callback, video, path, key, access, access.cacheControl(POSTER_SECONDS), null);
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
        countViewThen(request, video, answer);
        return true;
    }

    /**
     * The DASH manifest of the complete renditions, over the same segments as HLS; its timeline comes from the lowest
     * rendition's playlist. A view like a master playlist.
     */
    private boolean manifest(Request request, Response response, Callback callback, VideoRecord video, Access access) {
        List<Rendition> complete = video.renditions().stream().filter(r -> !r.growing() && r.hasVideo()).toList();
        Rendition audio = video.renditions().stream().filter(r -> r.kind() == RenditionKind.AUDIO).findFirst().orElse(null);
        if (complete.isEmpty() || audio != null && audio.growing()) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404,
                    "no complete rendition yet (DASH lists complete renditions; HLS plays them while they grow)",
                    Map.of("videoId", video.videoId(), "state", video.state().name()));
        }
        // the timelines: the lowest video rendition's (all video renditions share it) and the audio rendition's own
        CompletableFuture<List<Double>> videoTimeline = durations(video, complete.getFirst());
        CompletableFuture<List<Double>> audioTimeline = audio == null
                ? CompletableFuture.completedFuture(List.of())
                : durations(video, audio);
        videoTimeline.thenCombine(audioTimeline, (videoDurations, audioDurations) -> DashManifest.mpd(complete,
                videoDurations, audio, audioDurations, video.captions(), access.query()).getBytes(StandardCharsets.UTF_8))
                .whenComplete((body, failure) -> {
                    if (failure != null) {
                        fail(request, response, callback, failure);
                        return;
                    }
                    String etag = "\"d" + video.version() + "t" + Integer.toHexString(access.query().hashCode()) + "\"";
                    Runnable answer = () -> sender.send(request, response, callback, video.videoId() + "/manifest.mpd", body,
                            MediaTypes.DASH_MANIFEST, etag, video.updatedAt(), access.cacheControl(playlistSeconds(video)));
                    if (HttpMethod.GET.is(request.getMethod())) {
                        countViewThen(request, video, answer);
                    } else {
                        answer.run();
                    }
                });
        return true;
    }

    /** The segment durations of a rendition's playlist, from the cache. */
    private CompletableFuture<List<Double>> durations(VideoRecord video, Rendition rendition) {
        return cache.get(rendition.playlistKey(), RenditionFiles.playlistMayChange(video, rendition) ? transcodingTtl : null)
                .thenApply(lookup -> DashManifest.segmentDurations(new String(lookup.object().bytes(), StandardCharsets.UTF_8)));
    }

    /**
     * A text track: its media playlist, written from the catalog, or its WebVTT file from the cache. Both may change
     * under their URL (the owner replaces or removes the track), so they are cached like a finished video's playlists;
     * the file's object key names its content, so the edge's own cache never serves a replaced file.
     */
    private boolean caption(Request request, Response response, Callback callback, VideoRecord video, CaptionPath path,
            Access access) {
        CaptionTrack track = video.caption(path.language()).orElse(null);
        if (track == null) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "no text track in this language",
                    Map.of("videoId", video.videoId(), "language", path.language()));
        }
        String cacheControl = access.cacheControl(playlistSeconds(video));
        if (path.playlist()) {
            byte[] body = Playlists.subtitles(video, track, access.query()).getBytes(StandardCharsets.UTF_8);
            String etag = "\"c" + video.version() + "t" + Integer.toHexString(access.query().hashCode()) + "\"";
            sender.send(request, response, callback, video.videoId() + "/" + track.language() + CaptionPath.PLAYLIST, body,
                    MediaTypes.PLAYLIST, etag, video.updatedAt(), cacheControl);
            return true;
        }
        cache.get(track.objectKey(), null).whenComplete((lookup, failure) -> {
            if (failure != null) {
                fail(request, response, callback, failure);
                return;
            }
            sender.send(request, response, callback, track.objectKey(), lookup.object().bytes(), MediaTypes.WEBVTT,
                    lookup.object().etag(), lookup.object().lastModified(), cacheControl);
        });
        return true;
    }

    /**
     * A view is a playback.started event. Answering once Kafka has it means an edge that crashes after answering has
     * lost no view; the wait is bounded, so a slow or absent Kafka delays a player by VIEW_ACK_WAIT at most (the event
     * may still arrive: the producer keeps retrying it, else it is counted as dropped).
     */
    private void countViewThen(Request request, VideoRecord video, Runnable answer) {
        Fields query = Request.extractQueryParameters(request);
        String session = query.getValue("session");
        if (session == null) {
            session = cmcd.parseRequest(request.getHttpURI().getQuery(), request.getHeaders()).sessionId(); // only CMCD
        }
        events.publish(new PlaybackStarted(video.videoId(), edgeId,
                session != null && SESSION_ID.matcher(session).matches() ? session : UUID.randomUUID().toString(),
                request.getHeaders().get(HttpHeader.USER_AGENT)))
                .completeOnTimeout(null, VIEW_ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((acked, dropped) -> answer.run());
    }

    private boolean fromCache(Request request, Response response, Callback callback, VideoRecord video, MediaPath path,
            String key, Access access, String cacheControl, Duration ttl) {
        // text the edge rewrites for a private video's token is answered whole
        Optional<ByteRange> range = path.namesMedia() ? Optional.empty() : ContentSender.singleRange(request);
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
                        if (MediaStorage.isRefused(MediaStorage.cause(failure))) {
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
            if (path.namesMedia() && !access.query().isEmpty()) {
                bytes = Playlists.withQuery(path, new String(bytes, StandardCharsets.UTF_8), access.query())
                        .getBytes(StandardCharsets.UTF_8);
                etag = etag.substring(0, etag.length() - 1) + "t" + Integer.toHexString(access.query().hashCode()) + "\"";
            }
            sender.send(request, response, servedCallback(request, response, callback, video, path, lookup.hit()), key,
                    bytes, path.contentType(), etag, lookup.object().lastModified(), cacheControl);
        });
    }

    private Callback servedCallback(Request request, Response response, Callback callback, VideoRecord video,
            MediaPath path, boolean hit) {
        return path.isPoster() || path.isStoryboard() ? callback : reportingServed(request, response, callback, video, path, hit);
    }

    private Callback reportingServed(Request request, Response response, Callback callback, VideoRecord video, MediaPath path,
            boolean hit) {
        if (!HttpMethod.GET.is(request.getMethod())) {
            return callback;
        }
        // from the raw query: decoding every argument into a map, for one of them, cost as much as the parsing
        Cmcd client = cmcd.parseRequest(request.getHttpURI().getQuery(), request.getHeaders());
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                long micros = Math.max(0, (System.nanoTime() - request.getBeginNanoTime()) / 1_000);
                events.publish(new SegmentServed(video.videoId(), edgeId, path.rendition(), path.file(),
                        Response.getContentBytesWritten(response), hit, micros, client.sessionId(), client.bufferMillis(),
                        client.measuredThroughputKbps(), client.bitrateKbps(), client.objectType(), client.startup()));
                super.succeeded();
            }
        };
    }

    private static void fail(Request request, Response response, Callback callback, Throwable failure) {
        Throwable cause = MediaStorage.cause(failure);
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
