package dev.reel.catalog.query;

import dev.reel.catalog.routing.PeerClient;
import dev.reel.catalog.topology.TrendingWindow;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.service.http.Responses;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog query API under {@code /api/catalog/}: parses and validates the request (400 on a bad
 * parameter), asks {@link CatalogQueries}, writes the JSON, and times every answer by endpoint and route.
 * Blocking (a local RocksDB read or one forwarded call), so it runs on Jetty's worker threads.
 */
public final class CatalogApiHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(CatalogApiHandler.class);
    private static final Pattern VIDEO = Pattern.compile("/api/catalog/videos/([^/]+)");
    private static final Pattern VIEWS = Pattern.compile("/api/catalog/videos/([^/]+)/views");
    private static final int MAX_PAGE = 200;
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_TRENDING = 100;
    private static final int DEFAULT_TRENDING = 10;

    private final CatalogQueries queries;
    private final MeterRegistry registry;

    public CatalogApiHandler(CatalogQueries queries, MeterRegistry registry) {
        this.queries = queries;
        this.registry = registry;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith("/api/catalog/")) {
            return false;
        }
        long started = System.nanoTime();
        String endpoint = endpointOf(path);
        ApiResponse answer;
        if (!Responses.isGetOrHead(request)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            answer = ApiResponse.json(HttpStatus.METHOD_NOT_ALLOWED_405, Json.error("use GET"), "local");
        } else {
            answer = answer(request, path, endpoint);
        }
        Timer.builder("reel.catalog.query")
                .description("query API answers by endpoint and how they were answered")
                .tags("endpoint", endpoint, "route", answer.route(), "status", Integer.toString(answer.status()))
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (answer.status() >= HttpStatus.INTERNAL_SERVER_ERROR_500) {
            // Why each 503 was given (no owner yet, restoring, owner away): the one line to read when queries fail.
            log.warn("{} {} answered {} ({}): {}", request.getMethod(), path, answer.status(), answer.route(), answer);
        }
        write(request, response, callback, answer);
        return true;
    }

    private ApiResponse answer(Request request, String path, String endpoint) {
        Fields params = Request.extractQueryParameters(request);
        String query = request.getHttpURI().getQuery();
        String pathAndQuery = query == null ? path : path + "?" + query;
        boolean forwarded = request.getHeaders().contains(PeerClient.FORWARDED_HEADER);
        try {
            return switch (endpoint) {
                case "video" -> {
                    String videoId = videoId(VIDEO.matcher(path));
                    yield queries.video(videoId, pathAndQuery, forwarded);
                }
                case "views" -> {
                    String videoId = videoId(VIEWS.matcher(path));
                    yield queries.views(videoId, pathAndQuery, forwarded);
                }
                case "list" -> queries.list(filter(params), limit(params, DEFAULT_PAGE, MAX_PAGE), cursor(params));
                case "trending" -> queries.trending(window(params), limit(params, DEFAULT_TRENDING, MAX_TRENDING));
                case "local-videos" -> queries.localPage(filter(params), limit(params, DEFAULT_PAGE, MAX_PAGE + 1),
                        after(params));
                case "local-trending" -> queries.localTrending(window(params), limit(params, DEFAULT_TRENDING, MAX_TRENDING));
                default -> ApiResponse.json(HttpStatus.NOT_FOUND_404, Json.error("no such endpoint: " + path), "local");
            };
        } catch (BadParameterException e) {
            return ApiResponse.badRequest(e.getMessage());
        }
    }

    private static String endpointOf(String path) {
        if (path.equals("/api/catalog/videos")) {
            return "list";
        }
        if (path.equals("/api/catalog/trending")) {
            return "trending";
        }
        if (path.equals(CatalogQueries.LOCAL_VIDEOS_PATH)) {
            return "local-videos";
        }
        if (path.equals(CatalogQueries.LOCAL_TRENDING_PATH)) {
            return "local-trending";
        }
        if (VIEWS.matcher(path).matches()) {
            return "views";
        }
        if (VIDEO.matcher(path).matches()) {
            return "video";
        }
        return "unknown";
    }

    private static String videoId(Matcher matcher) {
        if (!matcher.matches() || !Cursors.isVideoId(matcher.group(1))) {
            throw new BadParameterException("a video id is 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return matcher.group(1);
    }

    private static VideoFilter filter(Fields params) {
        return new VideoFilter(state(params), visibility(params));
    }

    /** {@code public} when absent; {@code any} lists every visibility (e.g. for an owner's or an admin's view). */
    private static Visibility visibility(Fields params) {
        String value = params.getValue("visibility");
        if (value == null || value.isBlank()) {
            return Visibility.PUBLIC;
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("any")) {
            return null;
        }
        return Arrays.stream(Visibility.values())
                .filter(v -> v.name().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst()
                .orElseThrow(() -> new BadParameterException(
                        "visibility must be public, unlisted, private or any, was '" + value + "'"));
    }

    private static VideoState state(Fields params) {
        String value = params.getValue("state");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return VideoState.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(
                    "state must be one of " + Arrays.toString(VideoState.values()) + ", was '" + value + "'");
        }
    }

    private static int limit(Fields params, int defaultValue, int max) {
        String value = params.getValue("limit");
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameterException("limit must be an integer from 1 to " + max + ", was '" + value + "'");
    }

    private static String cursor(Fields params) {
        String value = params.getValue("cursor");
        if (value == null || value.isBlank()) {
            return null;
        }
        Optional<String> after = Cursors.decode(value.trim());
        return after.orElseThrow(() -> new BadParameterException("cursor is not one this API gave out"));
    }

    private static String after(Fields params) {
        String value = params.getValue("after");
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!Cursors.isVideoId(value)) {
            throw new BadParameterException("after must be a video id");
        }
        return value;
    }

    private static TrendingWindow window(Fields params) {
        String value = params.getValue("window");
        if (value == null || value.isBlank()) {
            return TrendingWindow.ONE_HOUR;
        }
        return TrendingWindow.fromLabel(value.trim())
                .orElseThrow(() -> new BadParameterException("window must be 1h or 24h, was '" + value + "'"));
    }

    private static void write(Request request, Response response, Callback callback, ApiResponse answer) {
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        Responses.json(request, response, callback, answer.status(), answer.body());
    }

    /** A query parameter that is missing its form: answered 400 with the reason. */
    private static final class BadParameterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadParameterException(String message) {
            super(message);
        }
    }
}
