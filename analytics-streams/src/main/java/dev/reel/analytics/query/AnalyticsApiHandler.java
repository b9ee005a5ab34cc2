package dev.reel.analytics.query;

import dev.reel.analytics.metrics.Granularity;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.auth.Viewer;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.Responses;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The analytics API under {@code /api/analytics/}: {@code overview}, {@code videos/{id}}, {@code edges} (each with
 * {@code window=15m|1h|6h|24h|7d}, default 1h) and the internal {@code internal/partials} other instances call.
 * Validates parameters (400 with the reason), answers JSON, 503 with {@code Retry-After} while partitions move, and
 * times every answer by endpoint and status. Blocking (store reads and calls to the other instances), so it runs on
 * Jetty's worker threads.
 */
public final class AnalyticsApiHandler extends Handler.Abstract {

    static final String PREFIX = "/api/analytics/";
    private static final Pattern VIDEO = Pattern.compile("/api/analytics/videos/([^/]+)");
    private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final String RETRY_AFTER_SECONDS = "1";

    private final AnalyticsQueries queries;
    private final Gatherer gatherer;
    private final ApiKeys keys;
    private final boolean internal;
    private final MeterRegistry registry;

    /**
     * @param keys     the owners' API keys: a private video's figures are its owner's
     * @param internal whether this is the instance-to-instance API (only {@link Gatherer#PARTIALS_PATH}, on the internal
     *                 port) rather than the public one (every other endpoint)
     */
    public AnalyticsApiHandler(AnalyticsQueries queries, Gatherer gatherer, ApiKeys keys, boolean internal,
            MeterRegistry registry) {
        this.queries = queries;
        this.gatherer = gatherer;
        this.keys = keys;
        this.internal = internal;
        this.registry = registry;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        long started = System.nanoTime();
        String endpoint = endpointOf(path);
        int status = HttpStatus.OK_200;
        try {
            if (!Responses.isGetOrHead(request)) {
                throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED_405, "use GET");
            }
            Responses.json(request, response, callback, HttpStatus.OK_200, answer(endpoint, path, request));
        } catch (ApiException e) {
            status = e.status();
            if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
            }
            Responses.failure(request, response, callback, e);
        } catch (RuntimeException e) { // a bug, or Kafka Streams in a state not foreseen: 500, logged with its cause
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
            Responses.failure(request, response, callback, e);
        }
        Timer.builder("reel.analytics.query").description("analytics API answers by endpoint and status")
                .tags("endpoint", endpoint, "status", Integer.toString(status)).publishPercentileHistogram()
                .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return true;
    }

    private byte[] answer(String endpoint, String path, Request request) {
        if (internal != endpoint.equals("partials")) {
            throw new ApiException(HttpStatus.NOT_FOUND_404, "no such endpoint: " + path);
        }
        Fields params = Request.extractQueryParameters(request);
        return switch (endpoint) {
            case "overview" -> Responses.bytes(queries.overview(window(params)));
            case "edges" -> Responses.bytes(queries.edges(window(params)));
            case "video" -> Responses.bytes(queries.video(videoId(path), window(params), Viewer.of(request, keys)));
            case "partials" -> partials(params).toJson();
            default -> throw new ApiException(HttpStatus.NOT_FOUND_404, "no such endpoint: " + path);
        };
    }

    /** An internal call: this instance's part, read only. */
    private Partials partials(Fields params) {
        Granularity granularity = Arrays.stream(Granularity.values())
                .filter(g -> g.name().toLowerCase(Locale.ROOT).equals(params.getValue("granularity"))).findFirst()
                .orElseThrow(() -> badRequest("granularity must be minute or hour"));
        long from = millis(params, "from");
        long to = millis(params, "to");
        String key = params.getValue("key");
        String prefix = params.getValue("prefix");
        if ((key == null) == (prefix == null)) {
            throw badRequest("give key or prefix");
        }
        return gatherer.readLocal(granularity, key != null ? key : prefix, key != null, from, to);
    }

    private static String endpointOf(String path) {
        if (path.equals(PREFIX + "overview")) {
            return "overview";
        }
        if (path.equals(PREFIX + "edges")) {
            return "edges";
        }
        if (path.equals(Gatherer.PARTIALS_PATH)) {
            return "partials";
        }
        return VIDEO.matcher(path).matches() ? "video" : "unknown";
    }

    private static String videoId(String path) {
        Matcher matcher = VIDEO.matcher(path);
        if (!matcher.matches() || !VIDEO_ID.matcher(matcher.group(1)).matches()) {
            throw badRequest("a video id is 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return matcher.group(1);
    }

    private static QueryWindow window(Fields params) {
        String value = params.getValue("window");
        if (value == null || value.isBlank()) {
            return QueryWindow.ONE_HOUR;
        }
        return QueryWindow.fromLabel(value.trim())
                .orElseThrow(() -> badRequest("window must be one of " + QueryWindow.labels() + ", was '" + value + "'"));
    }

    private static long millis(Fields params, String name) {
        try {
            return Long.parseLong(params.getValue(name));
        } catch (NumberFormatException e) {
            throw badRequest(name + " must be epoch milliseconds");
        }
    }

    private static ApiException badRequest(String reason) {
        return new ApiException(HttpStatus.BAD_REQUEST_400, reason);
    }
}
