package dev.reel.ingest.http;

import dev.reel.events.publish.EventWriteException;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.Responses;
import dev.reel.service.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of ingest's blocking API handlers: authenticates with the API keys, runs the exchange and turns an
 * {@link ApiException} (or anything unexpected, as a 500) into a JSON error with {@link Responses#failure}, which logs
 * every 5xx once. Storage and Kafka failures that reach it are 503s, a body the client broke off is a 400. Uploads
 * block on the client and on object storage, so these handlers run on Jetty's worker threads rather than being
 * non-blocking.
 */
public abstract class ApiHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final long DISCARD_LIMIT = 16L * 1024 * 1024;

    private final ApiKeys keys;
    private final String prefix;

    /** @param prefix the path this handler serves, with everything below it; other paths are left to the next handler */
    protected ApiHandler(ApiKeys keys, String prefix) {
        this.keys = keys;
        this.prefix = prefix;
    }

    /** Serves a request this handler took; completes the callback or throws. */
    protected abstract void serve(Request request, Response response, Callback callback) throws Exception;

    /** Whether this handler serves {@code path}: by default its prefix and everything below it. */
    protected boolean takes(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** Headers every answer of this handler carries, errors included (tus needs Tus-Resumable on all). */
    protected void commonHeaders(Response response) {
    }

    @Override
    public final boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!takes(path)) {
            return false;
        }
        commonHeaders(response);
        try {
            serve(request, response, callback);
        } catch (ApiException e) {
            reject(request, response, callback, e);
        } catch (StorageException e) {
            reject(request, response, callback,
                    new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503, "object storage is unavailable, try again", e));
        } catch (EventWriteException e) {
            reject(request, response, callback,
                    new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503, "the event log is unavailable, try again", e));
        } catch (IOException e) {
            // The client went away or sent a broken body; it will most likely not read this answer.
            log.info("{} {}: request body failed: {}", request.getMethod(), path, e.toString());
            Responses.error(request, response, callback, HttpStatus.BAD_REQUEST_400,
                    "the request body ended early or was malformed");
        } catch (Exception e) {
            Responses.failure(request, response, callback, e);
        }
        return true;
    }

    private static void reject(Request request, Response response, Callback callback, ApiException rejection) {
        if (rejection.status() == HttpStatus.UNAUTHORIZED_401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"reel\"");
        }
        discardUnreadBody(request);
        Responses.failure(request, response, callback, rejection);
    }

    /**
     * Reads and drops what is left of a rejected request's body, up to {@value #DISCARD_LIMIT} bytes. A client that
     * is still sending when the answer comes and the connection closes would get a reset instead of the answer (the
     * unread bytes make the kernel reset the socket); past the limit the rest stays unread, and the answer says the
     * connection closes ({@link Responses} does that for any answer given before the body is read). A client that
     * wants the early answer without sending a large body uses {@code Expect: 100-continue}.
     */
    private static void discardUnreadBody(Request request) {
        if (request.getLength() > DISCARD_LIMIT) {
            return;
        }
        try {
            InputStream body = Content.Source.asInputStream(request);
            byte[] buffer = new byte[16 * 1024];
            long left = DISCARD_LIMIT;
            int read;
            while (left > 0 && (read = body.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
                left -= read;
            }
        } catch (IOException | RuntimeException e) {
            // what is left stays unread: the answer closes the connection
        }
    }

    /** The owner of the request's API key; 503 while the keys are still being read, so a valid key is never refused. */
    protected String owner(Request request) {
        if (!keys.isCaughtUp()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503, "the API keys are still being read; try again");
        }
        return keys.ownerOf(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                .orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED_401,
                        "an API key is required: Authorization: Bearer <key>"));
    }
}
