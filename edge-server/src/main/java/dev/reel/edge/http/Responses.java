package dev.reel.edge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Small, complete answers: JSON errors and text bodies. */
public final class Responses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {
    }

    /** {@code {"error": reason, ...details}} with {@code status}; never cached. Returns true (the callback is taken). */
    public static boolean error(Request request, Response response, Callback callback, int status, String reason,
            Map<String, String> details) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", reason);
        body.putAll(details);
        try {
            return send(request, response, callback, status, MediaTypes.JSON, JSON.writeValueAsString(body) + "\n", "no-store");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    public static boolean error(Request request, Response response, Callback callback, int status, String reason) {
        return error(request, response, callback, status, reason, Map.of());
    }

    /** A whole body with its type and Cache-Control; HEAD gets the headers only. */
    public static boolean send(Request request, Response response, Callback callback, int status, String contentType,
            String body, String cacheControl) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl);
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
        } else {
            Content.Sink.write(response, true, body, callback);
        }
        return true;
    }

    public static boolean isGetOrHead(Request request) {
        return HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
    }

    public static boolean methodNotAllowed(Request request, Response response, Callback callback, String allow) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        return error(request, response, callback, 405, "method not allowed", Map.of("allow", allow));
    }
}
