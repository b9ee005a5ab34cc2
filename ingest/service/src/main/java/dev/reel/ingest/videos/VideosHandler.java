package dev.reel.ingest.videos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reel.events.VideoDeleted;
import dev.reel.events.VideoMetadataUpdated;
import dev.reel.events.VideoUploaded;
import dev.reel.ingest.auth.ApiKeys;
import dev.reel.ingest.http.ApiException;
import dev.reel.ingest.http.ApiHandler;
import dev.reel.ingest.http.JsonResponses;
import dev.reel.ingest.http.VideoLinks;
import dev.reel.ingest.publish.EventPublisher;
import dev.reel.ingest.publish.EventPublisher.PublishException;
import dev.reel.ingest.upload.SingleRequestUpload;
import dev.reel.ingest.upload.VideoDetails;
import dev.reel.service.auth.PlaybackTokens;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/videos}: {@code POST} uploads a whole file in one request; {@code PATCH /{id}} edits title, description
 * and visibility; {@code DELETE /{id}} deletes; {@code POST /{id}/playback-token} gives the owner a token to play a
 * private video. Edits and deletions are events: the catalog and a deletion consumer act on them.
 */
public final class VideosHandler extends ApiHandler {

    private static final Logger log = LoggerFactory.getLogger(VideosHandler.class);

    public static final String PATH = "/api/videos";
    private static final int MAX_EDIT_BYTES = 64 * 1024;

    private final SingleRequestUpload upload;
    private final VideoOwners owners;
    private final EventPublisher publisher;
    private final PlaybackTokens tokens;
    private final Duration tokenTtl;
    private final VideoLinks links;
    private final Clock clock;

    public VideosHandler(ApiKeys keys, SingleRequestUpload upload, VideoOwners owners, EventPublisher publisher,
            PlaybackTokens tokens,
            Duration tokenTtl, VideoLinks links, Clock clock) {
        super(keys, PATH);
        this.upload = upload;
        this.owners = owners;
        this.publisher = publisher;
        this.tokens = tokens;
        this.tokenTtl = tokenTtl;
        this.links = links;
        this.clock = clock;
    }

    @Override
    protected void serve(Request request, Response response, Callback callback) throws Exception {
        String rest = Request.getPathInContext(request).substring(PATH.length());
        String[] segments = rest.isEmpty() || rest.equals("/") ? new String[0] : rest.substring(1).split("/", -1);
        String method = request.getMethod();
        if (segments.length == 0 && "POST".equals(method)) {
            upload(owner(request), request, response, callback);
        } else if (segments.length == 1 && "PATCH".equals(method)) {
            edit(owner(request), segments[0], request, response, callback);
        } else if (segments.length == 1 && "DELETE".equals(method)) {
            delete(owner(request), segments[0], response, callback);
        } else if (segments.length == 2 && "playback-token".equals(segments[1]) && "POST".equals(method)) {
            playbackToken(owner(request), segments[0], response, callback);
        } else if (segments.length <= 2) {
            response.getHeaders().put(HttpHeader.ALLOW,
                    segments.length == 0 ? "POST" : segments.length == 1 ? "PATCH, DELETE" : "POST");
            throw new ApiException(segments.length == 2 && !"playback-token".equals(segments[1]) ? 404 : 405,
                    method + " is not allowed here");
        } else {
            throw new ApiException(404, "no such resource");
        }
    }

    private void upload(String owner, Request request, Response response, Callback callback) throws IOException {
        long declared = request.getLength();
        if (declared > upload.maxBytes()) {
            throw new ApiException(413, "the body has " + declared + " bytes, over the limit of " + upload.maxBytes());
        }
        Fields query = Request.extractQueryParameters(request);
        Map<String, String> params = new LinkedHashMap<>();
        query.forEach(field -> params.put(field.getName(), field.getValue()));
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        InputStream in = Content.Source.asInputStream(request);
        SingleRequestUpload.Body body = contentType != null
                && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")
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
        JsonResponses.write(response, callback, 201, answer);
    }

    private void edit(String owner, String videoId, Request request, Response response, Callback callback) throws IOException {
        JsonNode body = readJson(request);
        String title = text(body, "title");
        String description = text(body, "description");
        String visibilityText = text(body, "visibility");
        if (title == null && description == null && visibilityText == null) {
            throw new ApiException(400, "send at least one of title, description, visibility");
        }
        VideoMetadataUpdated update = new VideoMetadataUpdated(videoId, title == null ? null : VideoDetails.validTitle(title),
                VideoDetails.validDescription(description),
                visibilityText == null ? null : VideoDetails.parseVisibility(visibilityText, null));
        owners.requireOwner(videoId, owner);
        publish(update);
        log.info("video {} edited by {}", videoId, owner);
        Map<String, Object> answer = links.describe(videoId);
        if (update.title() != null) {
            answer.put("title", update.title());
        }
        if (update.description() != null) {
            answer.put("description", update.description());
        }
        if (update.visibility() != null) {
            answer.put("visibility", update.visibility().name().toLowerCase(java.util.Locale.ROOT));
        }
        JsonResponses.write(response, callback, 200, answer);
    }

    private void delete(String owner, String videoId, Response response, Callback callback) {
        owners.requireOwner(videoId, owner);
        publish(new VideoDeleted(videoId, owner));
        log.info("video {} deleted by {}", videoId, owner);
        Map<String, Object> answer = links.describe(videoId);
        answer.put("deleted", true);
        JsonResponses.write(response, callback, 202, answer);
    }

    private void playbackToken(String owner, String videoId, Response response, Callback callback) {
        owners.requireOwner(videoId, owner);
        Instant expires = clock.instant().plus(tokenTtl);
        Map<String, Object> answer = links.describe(videoId);
        answer.put("token", tokens.mint(videoId, expires));
        answer.put("expiresAt", expires.toString());
        JsonResponses.write(response, callback, 200, answer);
    }

    private void publish(dev.reel.events.EventData event) {
        try {
            publisher.publish(event);
        } catch (PublishException e) {
            throw new ApiException(503, "the event log is unavailable, try again");
        }
    }

    private static JsonNode readJson(Request request) throws IOException {
        byte[] bytes = Content.Source.asInputStream(request).readNBytes(MAX_EDIT_BYTES + 1);
        if (bytes.length > MAX_EDIT_BYTES) {
            throw new ApiException(413, "the edit is larger than " + MAX_EDIT_BYTES + " bytes");
        }
        try {
            JsonNode node = JsonResponses.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ApiException(400, "the body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiException(400, "the body is not valid JSON");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiException(400, field + " must be a string");
        }
        return value.asText();
    }
}
