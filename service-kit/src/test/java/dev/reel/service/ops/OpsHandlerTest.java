package dev.reel.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsHandlerTest {

    private final AtomicBoolean kafkaReachable = new AtomicBoolean(false);
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        PrometheusMeterRegistry registry = ServiceMetrics.create("test-service", "t-1");
        registry.counter("reel_uploads_total").increment();
        Readiness readiness = new Readiness().add("kafka", kafkaReachable::get).add("always", () -> true);
        Handler api = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                    org.eclipse.jetty.util.Callback callback) {
                response.setStatus(418);
                callback.succeeded();
                return true;
            }
        };
        server = HttpServers.start("ops-test", "127.0.0.1", 0, HttpServers.SMALL_BODIES,
                new OpsHandler(readiness, registry, api));
        base = "http://127.0.0.1:" + HttpServers.port(server);
    }

    @AfterEach
    void stop() {
        LifeCycle.stop(server);
    }

    @Test
    void healthzAnswersWhileTheProcessLives() throws Exception {
        HttpResponse<String> response = get("/healthz");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
    }

    @Test
    void readyzNamesTheFailingCheckUntilItHolds() throws Exception {
        HttpResponse<String> notReady = get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("kafka: not ready", "always: ok");

        kafkaReachable.set(true);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsArePrometheusTextWithServiceTags() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.body()).contains("reel_uploads_total{instance=\"t-1\",service=\"test-service\"} 1.0",
                "jvm_memory_used_bytes");
    }

    @Test
    void otherPathsGoToTheServiceAndOtherMethodsAreRefused() throws Exception {
        assertThat(get("/api/videos").statusCode()).isEqualTo(418);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
