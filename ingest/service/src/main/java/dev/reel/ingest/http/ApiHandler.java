package dev.reel.ingest.http;

import dev.reel.ingest.auth.ApiKeys;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of ingest's blocking API handlers: authenticates with the API keys, runs the exchange and turns an
 * {@link ApiException} (or anything unexpected, as a 500) into a JSON error. Uploads block on the client and on
 * object storage, so these handlers run on Jetty's worker threads rather than being non-blocking.
 */
public abstract class ApiHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final ApiKeys keys;
    private final String prefix;

    /** @param prefix the path this handler serves, with everything below it; other paths are left to the next handler */
    protected ApiHandler(ApiKeys keys, String prefix) {
        this.keys = keys;
        this.prefix = prefix;
    }

    /** Serves a request this handler took; completes the callback or throws. */
    protected abstract void serve(Request request, Response response, Callback callback) throws Exception;

    /** Headers every answer of this handler carries, errors included (tus needs Tus-Resumable on all). */
    protected void commonHeaders(Response response) {}

    @Override
    public final boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
            return false;
        }
        commonHeaders(response);
        try {
            serve(request, response, callback);
        } catch (ApiException e) {
            if (e.status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"reel\"");
            }
            JsonResponses.error(response, callback, e);
        } catch (java.io.IOException e) {
            // The client went away or sent a broken body; it will most likely not read this answer.
            log.info("{} {}: request body failed: {}", request.getMethod(), path, e.toString());
            JsonResponses.write(response, callback, 400, Map.of("error", "the request body ended early or was malformed"));
        } catch (Exception e) {
            log.error("{} {} failed", request.getMethod(), path, e);
            JsonResponses.write(response, callback, 500, Map.of("error", "internal error"));
        }
        return true;
    }

    /** The owner of the request's API key. */
    protected String owner(Request request) {
        return keys.ownerOf(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                .orElseThrow(() -> new ApiException(401, "an API key is required: Authorization: Bearer <key>"));
    }
}
