package dev.reel.service.ops;

import dev.reel.service.http.Responses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /healthz} (the process lives), {@code /readyz} (every readiness check holds; 503 with the failing
 * ones otherwise) and {@code /metrics} (Prometheus text format). Other paths are left to the next handler,
 * so a service puts this in front of its own API.
 */
public final class OpsHandler extends Handler.Wrapper {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Readiness readiness;
    private final PrometheusMeterRegistry registry;

    public OpsHandler(Readiness readiness, PrometheusMeterRegistry registry, Handler next) {
        super(next);
        this.readiness = readiness;
        this.registry = registry;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.equals("/healthz") && !path.equals("/readyz") && !path.equals("/metrics")) {
            return super.handle(request, response, callback);
        }
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return reply(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, TEXT, "use GET\n");
        }
        return switch (path) {
            case "/healthz" -> reply(request, response, callback, HttpStatus.OK_200, TEXT, "ok\n");
            case "/readyz" -> {
                Map<String, Boolean> states = readiness.evaluate();
                boolean ready = states.values().stream().allMatch(Boolean::booleanValue);
                String body = states.entrySet().stream()
                        .map(e -> e.getKey() + ": " + (e.getValue() ? "ok" : "not ready"))
                        .collect(Collectors.joining("\n", "", "\n"));
                yield reply(request, response, callback, ready ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503, TEXT,
                        (ready ? "ready\n" : "not ready\n") + body);
            }
            default -> reply(request, response, callback, HttpStatus.OK_200, PROMETHEUS_TEXT, registry.scrape());
        };
    }

    private static boolean reply(Request request, Response response, Callback callback, int status, String type, String body) {
        return Responses.send(request, response, callback, status, type, body, Responses.NO_STORE);
    }
}
