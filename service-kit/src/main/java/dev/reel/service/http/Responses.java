package dev.reel.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Complete answers, written the same way by every service: a body with its type, {@code Cache-Control} and
 * {@code Content-Length}, headers only for {@code HEAD}; JSON bodies; and JSON errors, {@code {"error": reason}}, the one
 * error shape of every API. Each method completes the callback and returns {@code true}, so a handler may end with
 * {@code return Responses.…}.
 */
public final class Responses {

    /** The API's JSON: ISO-8601 dates, fields in declaration order. */
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    public static final String JSON_TYPE = "application/json";
    public static final String NO_STORE = "no-store";

    private static final Logger log = LoggerFactory.getLogger(Responses.class);

    private Responses() {
    }

    /** A JSON body; never cached. */
    public static boolean json(Request request, Response response, Callback callback, int status, Object body) {
        return json(request, response, callback, status, bytes(body));
    }

    /** A body that is JSON already; never cached. */
    public static boolean json(Request request, Response response, Callback callback, int status, byte[] json) {
        return send(request, response, callback, status, JSON_TYPE, json, NO_STORE);
    }

    /** {@code {"error": reason}}; never cached. */
    public static boolean error(Request request, Response response, Callback callback, int status, String reason) {
        return error(request, response, callback, status, reason, Map.of());
    }

    /** {@code {"error": reason, ...details}}; never cached. */
    public static boolean error(Request request, Response response, Callback callback, int status, String reason,
            Map<String, String> details) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", reason);
        body.putAll(details);
        return json(request, response, callback, status, body);
    }

    /**
     * Answers a request that failed: an {@link ApiException} with its status and reason, anything else as a 500 that
     * tells nothing of the inside. Every 5xx is logged here, once, with its cause.
     */
    public static boolean failure(Request request, Response response, Callback callback, Throwable failure) {
        int status = failure instanceof ApiException api ? api.status() : HttpStatus.INTERNAL_SERVER_ERROR_500;
        String reason = failure instanceof ApiException api ? api.reason() : "internal error";
        if (status >= HttpStatus.INTERNAL_SERVER_ERROR_500) {
            Throwable cause = failure instanceof ApiException && failure.getCause() != null ? failure.getCause() : failure;
            log.error("{} {} answered {} ({})", request.getMethod(), Request.getPathInContext(request), status, reason, cause);
        }
        if (response.isCommitted()) {
            callback.failed(failure); // too late for an answer: Jetty ends the exchange
            return true;
        }
        return error(request, response, callback, status, reason);
    }

    /** A text body of {@code contentType} (UTF-8) with the given {@code Cache-Control}. */
    public static boolean send(Request request, Response response, Callback callback, int status, String contentType,
            String body, String cacheControl) {
        return send(request, response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8), cacheControl);
    }

    public static boolean send(Request request, Response response, Callback callback, int status, String contentType,
            byte[] body, String cacheControl) {
        // An answer given before the request's body has all arrived (an early 401, 413 or 400) ends the connection:
        // Jetty closes it after the answer. Saying so in the answer keeps a client from sending its next request on it.
        if (!request.consumeAvailable()) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
        return true;
    }

    /** 405 with {@code Allow}. */
    public static boolean methodNotAllowed(Request request, Response response, Callback callback, String allow) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        return error(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method not allowed",
                Map.of("allow", allow));
    }

    public static boolean isGetOrHead(Request request) {
        return HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
    }

    /** The JSON of a response body (records, maps, lists). */
    public static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response bodies are records, maps and lists", e);
        }
    }
}
