package dev.reel.catalog.query;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;

/**
 * One answer of the query API, whether computed here or received from the instance a query was forwarded to.
 *
 * @param status  HTTP status
 * @param body    JSON body
 * @param headers extra headers ({@code Retry-After}, {@value #STALE_HEADER})
 * @param route   how it was answered, for the latency metric: local, forwarded, stale, scatter, unavailable
 */
public record ApiResponse(int status, byte[] body, Map<String, String> headers, String route) {

    /** Marks an answer read from a standby replica, which may lag the active one. */
    public static final String STALE_HEADER = "Reel-Stale";
    /** The instance ({@code host:port}) whose store answered a query for one key. */
    public static final String SERVED_BY_HEADER = "Reel-Served-By";
    /** Seconds a client should wait before asking again while partitions move between instances. */
    public static final String RETRY_AFTER_SECONDS = "1";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, byte[] body, String route) {
        return new ApiResponse(status, body, Map.of(), route);
    }

    /** 503 with {@code Retry-After}: the key's store is moving between instances or restoring. */
    public static ApiResponse unavailable(String reason) {
        return new ApiResponse(HttpStatus.SERVICE_UNAVAILABLE_503, Json.error(reason), Map.of("Retry-After", RETRY_AFTER_SECONDS),
                "unavailable");
    }

    public static ApiResponse badRequest(String reason) {
        return json(HttpStatus.BAD_REQUEST_400, Json.error(reason), "local");
    }

    /** The same answer marked as read from a standby. */
    public ApiResponse stale() {
        Map<String, String> marked = new LinkedHashMap<>(headers);
        marked.put(STALE_HEADER, "true");
        return new ApiResponse(status, body, marked, "stale");
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, body, more, route);
    }

    public ApiResponse withRoute(String newRoute) {
        return new ApiResponse(status, body, headers, newRoute);
    }

    @Override
    public String toString() {
        return status + " " + new String(body, StandardCharsets.UTF_8);
    }
}
