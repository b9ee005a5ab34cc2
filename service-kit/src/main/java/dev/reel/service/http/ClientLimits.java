package dev.reel.service.http;

import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.DoSHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Per-client request rates, with Jetty's own {@link DoSHandler} (a leaking bucket per client): beyond the rate a client
 * gets 429 + {@code Retry-After: 1} with a JSON reason, and other clients are not slowed. A client is what the front
 * door saw: the last {@code X-Forwarded-For} entry (HAProxy appends the address it accepted the connection from, so
 * what a client wrote there itself comes earlier and counts for nothing), else the connection's peer address.
 */
public final class ClientLimits {

    /** Seconds a client told 429 waits before trying again. */
    public static final String RETRY_AFTER_SECONDS = "1";
    private static final int MAX_CLIENTS_TRACKED = 100_000;

    private ClientLimits() {
    }

    /** The client a request counts for. */
    public static String clientId(Request request) {
        List<String> forwarded = request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR);
        if (!forwarded.isEmpty()) {
            String last = forwarded.getLast();
            int comma = last.lastIndexOf(',');
            String client = (comma < 0 ? last : last.substring(comma + 1)).strip();
            if (!client.isEmpty()) {
                return client;
            }
        }
        return Request.getRemoteAddr(request);
    }

    /**
     * Wraps {@code next} so each client may make {@code perSecond} requests a second to the given paths (Jetty path
     * specs, e.g. {@code /api/beacon} or {@code /api/catalog/*}), {@code perSecond} of them at once; other paths pass
     * untouched.
     */
    public static Handler perClient(Handler next, int perSecond, String... pathSpecs) {
        // The bucket must hold one more than the rate: Jetty admits a request only while its bucket stays below the
        // size, and the size defaults to the rate, so a rate of N let N-1 through at once, and a rate of 1 none at all.
        DoSHandler limit = new DoSHandler(next, ClientLimits::clientId,
                new DoSHandler.LeakingBucketTrackerFactory(perSecond, perSecond + 1, null), new TooManyRequests(perSecond),
                MAX_CLIENTS_TRACKED);
        limit.includePath(pathSpecs);
        return limit;
    }

    private record TooManyRequests(int perSecond) implements Request.Handler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
            return Responses.error(request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429,
                    "too many requests from this client (at most " + perSecond + " a second); retry after "
                            + RETRY_AFTER_SECONDS + " s");
        }
    }
}
