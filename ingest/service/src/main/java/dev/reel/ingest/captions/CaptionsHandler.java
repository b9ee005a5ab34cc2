package dev.reel.ingest.captions;

import dev.reel.events.CaptionKind;
import dev.reel.events.CaptionTrack;
import dev.reel.events.CaptionsRemoved;
import dev.reel.events.CaptionsSet;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.publish.EventWriteException;
import dev.reel.events.publish.EventWriter;
import dev.reel.ingest.http.ApiHandler;
import dev.reel.ingest.http.VideoLinks;
import dev.reel.ingest.ops.IngestMetrics;
import dev.reel.ingest.videos.VideoOwners;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.Responses;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /api/videos/{id}/captions/{language}} adds or replaces a video's text track in one language (the body is a
 * WebVTT or SubRip file; {@code ?label=} names it in the player's menu, {@code ?kind=subtitles|captions}), and
 * {@code DELETE} removes it. Owner only. A refused file writes nothing. An accepted one is stored first, under a key
 * named by its content, and the track becomes a {@code reel.captions.set} event; the file it replaced is removed once
 * the event is written. When the event cannot be written (503) the new file stays, as the event may still arrive: the
 * client's retry stores the same key, and the next request for the language removes every file no event names.
 *
 * <p>Requests for one video and language are serialized within an instance (the front door hashes the URI, so they all
 * reach one instance): the clean-up after one never removes the file of another.
 */
public final class CaptionsHandler extends ApiHandler {

    private static final Logger log = LoggerFactory.getLogger(CaptionsHandler.class);

    public static final String PREFIX = "/api/videos";
    /** Ten times a feature film's subtitles; a file this large is not a caption file. */
    public static final int MAX_BYTES = 2 * 1024 * 1024;
    static final String CONTENT_TYPE = "text/vtt; charset=utf-8";
    private static final Pattern PATH = Pattern.compile("/api/videos/([^/]+)/captions(?:/([^/]*))?");
    private static final int LOCK_STRIPES = 64;

    private final VideoOwners owners;
    private final ObjectStorage storage;
    private final EventWriter events;
    private final IngestMetrics metrics;
    private final VideoLinks links;
    private final List<ReentrantLock> locks = IntStream.range(0, LOCK_STRIPES).mapToObj(i -> new ReentrantLock()).toList();

    public CaptionsHandler(ApiKeys keys, VideoOwners owners, ObjectStorage storage, EventWriter events, IngestMetrics metrics,
            VideoLinks links) {
        super(keys, PREFIX);
        this.owners = owners;
        this.storage = storage;
        this.events = events;
        this.metrics = metrics;
        this.links = links;
    }

    @Override
    protected boolean takes(String path) {
        return PATH.matcher(path).matches();
    }

    @Override
    protected void serve(Request request, Response response, Callback callback) throws Exception {
        Matcher path = PATH.matcher(Request.getPathInContext(request));
        if (!path.matches() || path.group(2) == null || path.group(2).isEmpty()) {
            throw new ApiException(HttpStatus.NOT_FOUND_404, "name the language: /api/videos/{id}/captions/{language}");
        }
        String videoId = path.group(1);
        String method = request.getMethod();
        boolean put = "PUT".equals(method);
        if (!put && !"DELETE".equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "PUT, DELETE");
            throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED_405, method + " is not allowed here");
        }
        String owner = owner(request);
        String language = CaptionTrack.canonicalLanguage(path.group(2)).orElseThrow(() -> new ApiException(
                HttpStatus.BAD_REQUEST_400, "the language must be a BCP 47 tag such as en, pt-BR or zh-Hant, was '"
                        + path.group(2) + "'"));
        if (put) {
            put(owner, videoId, language, request, response, callback);
        } else {
            delete(owner, videoId, language, request, response, callback);
        }
    }

    private void put(String owner, String videoId, String language, Request request, Response response, Callback callback)
            throws IOException, InterruptedException {
        Fields query = Request.extractQueryParameters(request);
        String label = query.getValue("label") == null ? CaptionTrack.defaultLabel(language) : query.getValue("label").strip();
        CaptionTrack.labelProblem(label).ifPresent(problem -> {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, problem);
        });
        CaptionKind kind = kind(query.getValue("kind"));
        if (request.getLength() > MAX_BYTES) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE_413,
                    "the file has " + request.getLength() + " bytes, over the limit of " + MAX_BYTES);
        }
        owners.requireOwner(videoId, owner);
        byte[] body = Content.Source.asInputStream(request).readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE_413, "the file is larger than " + MAX_BYTES + " bytes");
        }
        if (body.length == 0) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "the body is empty: send the WebVTT or SubRip file");
        }
        CaptionFile file;
        try {
            file = CaptionFile.read(body);
        } catch (CaptionFileException e) {
            metrics.captions("refused");
            log.info("video {}: caption file for {} refused: {}", videoId, language, e.getMessage());
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY_422, e.getMessage());
        }
        String key = ObjectKeys.captions(videoId, language, sha256(file.webVtt()));
        CaptionTrack track = new CaptionTrack(language, label, kind, key, file.webVtt().length, file.cues());
        ReentrantLock lock = lockOf(videoId, language);
        lock.lock();
        try {
            store(videoId, track, file.webVtt(), owner);
        } finally {
            lock.unlock();
        }
        metrics.captions("set");
        log.info("video {}: {} track {} ({} cues, from {}) set by {}", videoId, kind.name().toLowerCase(Locale.ROOT), language,
                file.cues(), file.sourceFormat(), owner);
        Map<String, Object> answer = links.describe(videoId);
        answer.put("language", language);
        answer.put("label", label);
        answer.put("kind", kind.name().toLowerCase(Locale.ROOT));
        answer.put("cues", file.cues());
        answer.put("sizeBytes", file.webVtt().length);
        answer.put("sourceFormat", file.sourceFormat());
        Responses.json(request, response, callback, HttpStatus.OK_200, answer);
    }

    private void store(String videoId, CaptionTrack track, byte[] webVtt, String owner)
            throws StorageException, EventWriteException, InterruptedException {
        String prefix = ObjectKeys.captionsPrefix(videoId, track.language());
        List<String> before = storage.list(prefix);
        storage.put(track.objectKey(), webVtt, CONTENT_TYPE);
        // A failed write may still reach the log (the producer keeps retrying after the wait ends), so the new file stays:
        // the client's retry writes the same key, and the next PUT or DELETE of this language removes it if unused.
        metrics.timePublish(() -> events.publish(new CaptionsSet(videoId, track)));
        for (String old : before) {
            if (!old.equals(track.objectKey())) {
                storage.delete(old);
            }
        }
    }

    private void delete(String owner, String videoId, String language, Request request, Response response, Callback callback)
            throws IOException, InterruptedException {
        owners.requireOwner(videoId, owner);
        ReentrantLock lock = lockOf(videoId, language);
        lock.lock();
        try {
            String prefix = ObjectKeys.captionsPrefix(videoId, language);
            if (storage.list(prefix).isEmpty()) {
                throw new ApiException(HttpStatus.NOT_FOUND_404, "the video has no track in " + language);
            }
            metrics.timePublish(() -> events.publish(new CaptionsRemoved(videoId, language, owner)));
            storage.deletePrefix(prefix);
        } finally {
            lock.unlock();
        }
        metrics.captions("removed");
        log.info("video {}: track {} removed by {}", videoId, language, owner);
        Map<String, Object> answer = links.describe(videoId);
        answer.put("language", language);
        answer.put("deleted", true);
        Responses.json(request, response, callback, HttpStatus.OK_200, answer);
    }

    private static CaptionKind kind(String value) {
        if (value == null || value.isBlank()) {
            return CaptionKind.SUBTITLES;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "subtitles" -> CaptionKind.SUBTITLES;
            case "captions" -> CaptionKind.CAPTIONS;
            default ->
                throw new ApiException(HttpStatus.BAD_REQUEST_400, "kind must be subtitles or captions, was '" + value + "'");
        };
    }

    private ReentrantLock lockOf(String videoId, String language) {
        return locks.get(Math.floorMod((videoId + "/" + language).hashCode(), LOCK_STRIPES));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
