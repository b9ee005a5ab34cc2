package dev.reel.catalog.query;

import dev.reel.catalog.query.QueryParameters.BadParameterException;
import dev.reel.service.http.Responses;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both catalog APIs (the public one and the instance-to-instance one) do around an answer: GET only, 400 for a bad
 * parameter, every answer timed by endpoint, route and status, and every 5xx logged with its reason. Blocking (a local
 * RocksDB read or one forwarded call), so it runs on Jetty's worker threads.
 */
abstract class QueryHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(QueryHandler.class);

    private final String prefix;
    private final MeterRegistry registry;

    /** @param prefix the paths this handler takes; others are left to the next handler */
    QueryHandler(String prefix, MeterRegistry registry) {
        this.prefix = prefix;
        this.registry = registry;
    }

    /** The endpoint a path names, for the metric; {@code unknown} for none. */
    abstract String endpointOf(String path);

    /** The answer to a GET of {@code endpoint}. */
    abstract ApiResponse answer(Request request, String path, String endpoint, QueryParameters params);

    @Override
    public final boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(prefix)) {
            return false;
        }
        long started = System.nanoTime();
        String endpoint = endpointOf(path);
        ApiResponse answer;
        if (!Responses.isGetOrHead(request)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            answer = ApiResponse.json(HttpStatus.METHOD_NOT_ALLOWED_405, Json.error("use GET"), "local");
        } else if (endpoint.equals("unknown")) {
            answer = ApiResponse.json(HttpStatus.NOT_FOUND_404, Json.error("no such endpoint: " + path), "local");
        } else {
            try {
                answer = answer(request, path, endpoint, new QueryParameters(Request.extractQueryParameters(request)));
            } catch (BadParameterException e) {
                answer = ApiResponse.badRequest(e.getMessage());
            }
        }
        Timer.builder("reel.catalog.query")
                .description("query API answers by endpoint and how they were answered")
                .tags("endpoint", endpoint, "route", answer.route(), "status", Integer.toString(answer.status()))
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        if (answer.status() >= HttpStatus.INTERNAL_SERVER_ERROR_500) {
            // Why each 503 was given (no owner yet, restoring, owner away): the one line to read when queries fail.
            log.warn("{} {} answered {} ({}): {}", request.getMethod(), path, answer.status(), answer.route(), answer);
        }
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        Responses.json(request, response, callback, answer.status(), answer.body());
        return true;
    }
}
