package dev.reel.ingest.tus;

import dev.reel.events.VideoUploaded;
import dev.reel.ingest.http.ApiHandler;
import dev.reel.ingest.http.VideoLinks;
import dev.reel.ingest.limits.UploadRate;
import dev.reel.ingest.upload.VideoDetails;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.Responses;
import dev.reel.service.storage.StorageException;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The tus 1.0 protocol (core, creation, creation-with-upload, termination, expiration, checksum) on
 * {@code /api/uploads} and {@code /api/uploads/{id}}. The id of an upload is the id of its video.
 *
 * <p>Reel's own headers on answers: {@code Reel-Video-Id} always, and once the last PATCH was accepted
 * {@code Reel-Status-Url} and {@code Reel-Watch-Url}.
 */
public final class TusHandler extends ApiHandler {

    public static final String PATH = "/api/uploads";
    public static final String VIDEO_ID = "Reel-Video-Id";
    public static final String STATUS_URL = "Reel-Status-Url";
    public static final String WATCH_URL = "Reel-Watch-Url";

    private final ResumableUploads uploads;
    private final UploadRate rate;
    private final VideoLinks links;

    public TusHandler(ApiKeys keys, ResumableUploads uploads, UploadRate rate, VideoLinks links) {
        super(keys, PATH);
        this.uploads = uploads;
        this.rate = rate;
        this.links = links;
    }

    @Override
    protected void commonHeaders(Response response) {
        response.getHeaders().put(TusHeaders.TUS_RESUMABLE, TusHeaders.VERSION);
    }

    @Override
    protected void serve(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String id = path.length() > PATH.length() + 1 ? path.substring(PATH.length() + 1) : null;
        String method = request.getMethod();
        if ("OPTIONS".equals(method)) {
            discovery(response, callback);
            return;
        }
        String version = request.getHeaders().get(TusHeaders.TUS_RESUMABLE);
        if (!TusHeaders.VERSION.equals(version)) {
            response.getHeaders().put(TusHeaders.TUS_VERSION, TusHeaders.VERSION);
            throw new ApiException(HttpStatus.PRECONDITION_FAILED_412,
                    "Tus-Resumable must be " + TusHeaders.VERSION + (version == null ? "" : ", was " + version));
        }
        String owner = owner(request);
        switch (method) {
            case "POST" -> {
                requireNoId(id);
                create(owner, request, response, callback);
            }
            case "HEAD" -> head(resumeState(requireId(id), owner, response), response, callback);
            case "PATCH" -> patch(owner, requireId(id), request, response, callback);
            case "DELETE" -> {
                uploads.terminate(requireId(id), owner);
                response.setStatus(HttpStatus.NO_CONTENT_204);
                callback.succeeded();
            }
            default -> {
                response.getHeaders().put(HttpHeader.ALLOW, id == null ? "OPTIONS, POST" : "OPTIONS, HEAD, PATCH, DELETE");
                throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED_405, method + " is not allowed here");
            }
        }
    }

    private void discovery(Response response, Callback callback) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(TusHeaders.TUS_VERSION, TusHeaders.VERSION);
        headers.put(TusHeaders.TUS_EXTENSION, TusHeaders.EXTENSIONS);
        headers.put(TusHeaders.TUS_MAX_SIZE, Long.toString(uploads.maxBytes()));
        headers.put(TusHeaders.TUS_CHECKSUM_ALGORITHM, TusHeaders.CHECKSUM_ALGORITHMS);
        response.setStatus(HttpStatus.NO_CONTENT_204);
        callback.succeeded();
    }

    private void create(String owner, Request request, Response response, Callback callback) throws Exception {
        HttpFields headers = request.getHeaders();
        if (headers.get(TusHeaders.UPLOAD_DEFER_LENGTH) != null) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "Upload-Defer-Length is not supported: send Upload-Length");
        }
        long length = TusHeaders.nonNegative(TusHeaders.UPLOAD_LENGTH, headers.get(TusHeaders.UPLOAD_LENGTH));
        uploads.requireAcceptableLength(length); // a file that is too large is refused before its fields are looked at
        rate.take(owner, response.getHeaders());
        Map<String, String> metadata = TusHeaders.metadata(headers.get(TusHeaders.UPLOAD_METADATA));
        VideoDetails details = VideoDetails.of(metadata.get("title"), metadata.get("description"), metadata.get("visibility"),
                metadata.getOrDefault("filename", metadata.get("name")));
        UploadSession session = uploads.create(owner, details, length);
        response.getHeaders().put(HttpHeader.LOCATION, PATH + "/" + session.id());
        if (TusHeaders.OFFSET_OCTET_STREAM.equals(request.getHeaders().get(HttpHeader.CONTENT_TYPE))) {
            // creation-with-upload: the first chunk came with the creation request
            ResumableUploads.Progress progress = uploads.append(session.id(), owner, 0, null, request.getLength(),
                    Content.Source.asInputStream(request));
            session = progress.session();
            describe(progress, response);
        } else {
            describe(new ResumableUploads.Progress(session, null), response);
        }
        Responses.json(request, response, callback, HttpStatus.CREATED_201, links.describe(session.id()));
    }

    /**
     * The session a client resumes from. tus clients (tus-js-client) take any error but 423 on this HEAD as a lost upload
     * and start it over, so storage that cannot answer right now is a 423 + {@code Retry-After}, which they retry.
     */
    private UploadSession resumeState(String id, String owner, Response response) {
        try {
            return uploads.get(id, owner);
        } catch (StorageException e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            throw new ApiException(HttpStatus.LOCKED_423, "the upload's state cannot be read right now; retry shortly", e);
        }
    }

    private void head(UploadSession session, Response response, Callback callback) {
        describe(new ResumableUploads.Progress(session, null), response);
        response.getHeaders().put(TusHeaders.UPLOAD_LENGTH, Long.toString(session.length()));
        response.setStatus(HttpStatus.OK_200);
        callback.succeeded();
    }

    private void patch(String owner, String id, Request request, Response response, Callback callback) throws Exception {
        HttpFields headers = request.getHeaders();
        if (!TusHeaders.OFFSET_OCTET_STREAM.equals(headers.get(HttpHeader.CONTENT_TYPE))) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                    "PATCH needs Content-Type: " + TusHeaders.OFFSET_OCTET_STREAM);
        }
        long offset = TusHeaders.nonNegative(TusHeaders.UPLOAD_OFFSET, headers.get(TusHeaders.UPLOAD_OFFSET));
        TusHeaders.Checksum checksum = TusHeaders.checksum(headers.get(TusHeaders.UPLOAD_CHECKSUM));
        InputStream body = Content.Source.asInputStream(request);
        ResumableUploads.Progress progress = uploads.append(id, owner, offset, checksum, request.getLength(), body);
        describe(progress, response);
        response.setStatus(HttpStatus.NO_CONTENT_204);
        callback.succeeded();
    }

    private void describe(ResumableUploads.Progress progress, Response response) {
        UploadSession session = progress.session();
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(TusHeaders.UPLOAD_OFFSET, Long.toString(session.offset()));
        headers.put(TusHeaders.UPLOAD_EXPIRES, TusHeaders.httpDate(session.expiresAt()));
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.put(VIDEO_ID, session.id());
        VideoUploaded accepted = progress.accepted();
        if (accepted != null || session.complete()) {
            headers.put(new HttpField(STATUS_URL, links.status(session.id())));
            headers.put(new HttpField(WATCH_URL, links.watch(session.id())));
        }
    }

    private static String requireId(String id) {
        if (id == null || id.contains("/")) {
            throw new ApiException(HttpStatus.NOT_FOUND_404, "no such upload");
        }
        return id;
    }

    private static void requireNoId(String id) {
        if (id != null) {
            throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED_405, "create uploads with POST " + PATH);
        }
    }
}
