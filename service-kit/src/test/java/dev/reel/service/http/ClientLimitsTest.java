package dev.reel.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.service.ops.HttpServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-client rates on a real Jetty server, as the catalog's queries and the edge's beacons use them: a client over its
 * rate gets 429 + Retry-After, another client and other paths are untouched, and a client is the last
 * X-Forwarded-For entry (the one the front door appended), not what it wrote there itself.
 */
class ClientLimitsTest {

    private static final int PER_SECOND = 2;
    private static final int BURST = 40;

    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        start(PER_SECOND);
    }

    private void start(int perSecond) throws Exception {
        LifeCycle.stop(server);
        Handler ok = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return Responses.json(request, response, callback, HttpStatus.OK_200, Map.of("ok", true));
            }
        };
        server = HttpServers.start("client-limits-test", "127.0.0.1", 0, HttpServers.SMALL_BODIES,
                ClientLimits.perClient(ok, perSecond, "/api/catalog/*"));
        base = "http://127.0.0.1:" + HttpServers.port(server);
    }

    @AfterEach
    void stop() {
        LifeCycle.stop(server);
    }

    private HttpResponse<String> get(String path, String forwardedFor) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Forwarded-For", forwardedFor).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@link #BURST} queries as fast as one connection goes; returns how many were answered 429. */
    private int burst(String forwardedFor) throws Exception {
        int limited = 0;
        for (int i = 0; i < BURST; i++) {
            HttpResponse<String> answer = get("/api/catalog/videos", forwardedFor);
            if (answer.statusCode() == HttpStatus.TOO_MANY_REQUESTS_429) {
                limited++;
                assertThat(answer.headers().firstValue("Retry-After")).contains(ClientLimits.RETRY_AFTER_SECONDS);
                assertThat(answer.body()).contains("too many requests from this client");
            } else {
                assertThat(answer.statusCode()).isEqualTo(HttpStatus.OK_200);
            }
        }
        return limited;
    }

    @Test
    void aClientOverItsRateIsToldToRetryAndOthersAreNot() throws Exception {
        assertThat(burst("10.0.0.1")).as("queries of one client beyond %d a second", PER_SECOND).isPositive();

        assertThat(get("/api/catalog/videos", "10.0.0.2").statusCode()).as("another client").isEqualTo(HttpStatus.OK_200);
        assertThat(get("/healthz", "10.0.0.1").statusCode()).as("a path without a limit").isEqualTo(HttpStatus.OK_200);
    }

    @Test
    void aClientMayMakeItsWholeRateAtOnce() throws Exception {
        for (int i = 0; i < PER_SECOND; i++) {
            assertThat(get("/api/catalog/videos", "10.0.0.3").statusCode()).as("request %d", i + 1)
                    .isEqualTo(HttpStatus.OK_200);
        }
        start(1);
        assertThat(get("/api/catalog/videos", "10.0.0.3").statusCode()).as("a rate of one a second")
                .isEqualTo(HttpStatus.OK_200);
        assertThat(burst("10.0.0.3")).isPositive();
    }

    @Test
    void theClientIsTheAddressTheFrontDoorAppended() throws Exception {
        // What a client writes in X-Forwarded-For itself comes first and counts for nothing: these count for 10.0.0.1...
        assertThat(burst("10.0.0.7, 10.0.0.1")).isPositive();
        // ...so 10.0.0.7 has used none of its rate.
        assertThat(get("/api/catalog/videos", "10.0.0.7").statusCode()).isEqualTo(HttpStatus.OK_200);
    }
}
