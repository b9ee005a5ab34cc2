package dev.reel.ingest.videos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reel.events.VideoDeleted;
import dev.reel.events.VideoMetadataUpdated;
import dev.reel.events.VideoUploaded;
import dev.reel.events.publish.EventWriter;
import dev.reel.ingest.http.ApiHandler;
import dev.reel.ingest.http.VideoLinks;
import dev.reel.ingest.limits.UploadRate;
import dev.reel.ingest.ops.IngestMetrics;
import dev.reel.ingest.upload.SingleRequestUpload;
import dev.reel.ingest.upload.VideoDetails;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.JsonBodies;
import dev.reel.service.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * {@code /api/videos}: {@code POST} uploads a whole file in one request; {@code PATCH /{id}} edits title, description,
 * visibility and whether the video may be downloaded; {@code DELETE /{id}} deletes; {@code POST /{id}/playback-token} gives the owner a token to play a
 * private video. Edits and deletions are events: the catalog and a deletion consumer act on them.
 */
public final class VideosHandler extends ApiHandler {

    private static final Logger log = LoggerFactory.getLogger(VideosHandler.class);

    public static final String PATH = "/api/videos";
    private static final int MAX_EDIT_BYTES = 64 * 1024;

    /** The shapes of the paths below {@link #PATH}; group 1 is the video id. */
    private enum Shape {
        VIDEOS("/?"), VIDEO("/([^/]+)"), PLAYBACK_TOKEN("/([^/]+)/playback-token");

        private final Pattern pattern;

        Shape(String pattern) {
            this.pattern = Pattern.compile(pattern);
        }
    }

    /** What a route does, for the owner of the request's API key ({@code videoId} is null on {@link Shape#VIDEOS}). */
    @FunctionalInterface
    private interface Action {
        void serve(String owner, String videoId, Request request, Response response, Callback callback) throws Exception;
    }

    private record Route(String method, Shape shape, Action action) {
    }

    private final List<Route> routes = List.of(
            new Route("POST", Shape.VIDEOS,
                    (owner, none, request, response, callback) -> upload(owner, request, response, callback)),
            new Route("PATCH", Shape.VIDEO, this::edit),
            new Route("DELETE", Shape.VIDEO, this::delete),
            new Route("POST", Shape.PLAYBACK_TOKEN, this::playbackToken));

    private final SingleRequestUpload upload;
    private final UploadRate rate;
    private final VideoOwners owners;
    private final EventWriter events;
    private final IngestMetrics metrics;
    private final PlaybackTokens tokens;
    private final Duration tokenTtl;
    private final VideoLinks links;
    private final Clock clock;

    public VideosHandler(ApiKeys keys, SingleRequestUpload upload, UploadRate rate, VideoOwners owners, EventWriter events,
            IngestMetrics metrics, PlaybackTokens tokens, Duration tokenTtl, VideoLinks links, Clock clock) {
        super(keys, PATH);
        this.upload = upload;
        this.rate = rate;
        this.owners = owners;
        this.events = events;
        this.metrics = metrics;
        this.tokens = tokens;
        this.tokenTtl = tokenTtl;
        this.links = links;
        this.clock = clock;
    }

    @Override
    protected void serve(Request request, Response response, Callback callback) throws Exception {
        String rest = Request.getPathInContext(request).substring(PATH.length());
        for (Shape shape : Shape.values()) {
            Matcher matcher = shape.pattern.matcher(rest);
            if (matcher.matches()) {
                serve(shape, matcher.groupCount() == 0 ? null : matcher.group(1), request, response, callback);
                return;
            }
        }
        throw new ApiException(HttpStatus.NOT_FOUND_404, "no such resource");
    }

    private void serve(Shape shape, String videoId, Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        for (Route route : routes) {
            if (route.shape() == shape && route.method().equals(method)) {
                route.action().serve(owner(request), videoId, request, response, callback);
                return;
            }
        }
        response.getHeaders().put(HttpHeader.ALLOW, routes.stream().filter(route -> route.shape() == shape)
                .map(Route::method).collect(Collectors.joining(", ")));
        throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED_405, method + " is not allowed here");
    }

    private void upload(String owner, Request request, Response response, Callback callback)
            throws IOException, InterruptedException {
        long declared = request.getLength();
        if (declared > upload.maxBytes()) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE_413,
                    "the body has " + declared + " bytes, over the limit of " + upload.maxBytes());
        }
        rate.take(owner, response.getHeaders());
        Fields query = Request.extractQueryParameters(request);
        Map<String, String> params = new LinkedHashMap<>();
        query.forEach(field -> params.put(field.getName(), field.getValue()));
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        InputStream in = Content.Source.asInputStream(request);
        SingleRequestUpload.Body body = contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
                        ? upload.form(contentType, in, params)
                        : upload.raw(in, VideoDetails.of(params.get("title"), params.get("description"), params.get("visibility"),
                                params.get("filename")));
        VideoUploaded event = upload.upload(owner, body);
        Map<String, Object> answer = links.describe(event.videoId());
        answer.put("sizeBytes", event.sizeBytes());
        answer.put("sha256", event.sha256());
        answer.put("durationSeconds", event.durationSeconds());
        answer.put("width", event.width());
        answer.put("height", event.height());
        response.getHeaders().put(HttpHeader.LOCATION, links.status(event.videoId()));
        Responses.json(request, response, callback, HttpStatus.CREATED_201, answer);
    }

    private void edit(String owner, String videoId, Request request, Response response, Callback callback)
            throws IOException, InterruptedException {
        JsonNode body = JsonBodies.readObject(request, MAX_EDIT_BYTES);
        String title = JsonBodies.text(body, "title");
        String description = JsonBodies.text(body, "description");
        String visibilityText = JsonBodies.text(body, "visibility");
        Boolean downloads = JsonBodies.bool(body, "downloads");
        if (title == null && description == null && visibilityText == null && downloads == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "send at least one of title, description, visibility, downloads");
        }
        VideoMetadataUpdated update = new VideoMetadataUpdated(videoId, title == null ? null : VideoDetails.validTitle(title),
                VideoDetails.validDescription(description),
                visibilityText == null ? null : VideoDetails.parseVisibility(visibilityText, null), downloads);
        owners.requireOwner(videoId, owner);
        metrics.timePublish(() -> events.publish(update)); // a failure is a 503 (ApiHandler)
        log.info("video {} edited by {}", videoId, owner);
        Map<String, Object> answer = links.describe(videoId);
        if (update.title() != null) {
            answer.put("title", update.title());
        }
        if (update.description() != null) {
            answer.put("description", update.description());
        }
        if (update.visibility() != null) {
            answer.put("visibility", update.visibility().name().toLowerCase(Locale.ROOT));
        }
        if (update.downloads() != null) {
            answer.put("downloads", update.downloads());
        }
        Responses.json(request, response, callback, HttpStatus.OK_200, answer);
    }

    private void delete(String owner, String videoId, Request request, Response response, Callback callback)
            throws IOException, InterruptedException {
        owners.requireOwner(videoId, owner);
        metrics.timePublish(() -> events.publish(new VideoDeleted(videoId, owner)));
        log.info("video {} deleted by {}", videoId, owner);
        Map<String, Object> answer = links.describe(videoId);
        answer.put("deleted", true);
        Responses.json(request, response, callback, HttpStatus.ACCEPTED_202, answer);
    }

    private void playbackToken(String owner, String videoId, Request request, Response response, Callback callback)
            throws IOException {
        owners.requireOwner(videoId, owner);
        Instant expires = clock.instant().plus(tokenTtl);
        Map<String, Object> answer = links.describe(videoId);
        answer.put("token", tokens.mint(videoId, expires));
        answer.put("expiresAt", expires.toString());
        Responses.json(request, response, callback, HttpStatus.OK_200, answer);
    }
}
