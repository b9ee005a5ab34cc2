package dev.reel.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.reel.service.ops.HttpServers;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ResponsesTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        logged.start();
        ((Logger) LoggerFactory.getLogger(Responses.class)).addAppender(logged);
        Handler failing = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Throwable failure = switch (Request.getPathInContext(request)) {
                    case "/gone" -> new ApiException(404, "no such video");
                    case "/storage" -> new ApiException(503, "object storage is unavailable, retry",
                            new java.io.IOException("connection refused"));
                    case "/json" -> null;
                    default -> new IllegalStateException("a bug with a secret in it");
                };
                return failure == null
                        ? Responses.json(request, response, callback, 200, Map.of("videoId", "v1"))
                        : Responses.failure(request, response, callback, failure);
            }
        };
        server = HttpServers.start("responses-test", "127.0.0.1", 0, HttpServers.SMALL_BODIES, failing);
        base = "http://127.0.0.1:" + HttpServers.port(server);
    }

    @AfterEach
    void stop() {
        LifeCycle.stop(server);
        ((Logger) LoggerFactory.getLogger(Responses.class)).detachAppender(logged);
    }

    @Test
    void aClientErrorIsJsonWithItsReasonAndNotLogged() throws Exception {
        HttpResponse<String> response = get("/gone", "GET");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.body()).isEqualTo("{\"error\":\"no such video\"}");
        assertThat(logged.list).isEmpty();
    }

    @Test
    void aServerErrorIsLoggedOnceWithItsCause() throws Exception {
        HttpResponse<String> response = get("/storage", "GET");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"error\":\"object storage is unavailable, retry\"}");
        assertThat(logged.list).hasSize(1);
        assertThat(logged.list.getFirst().getFormattedMessage()).contains("GET /storage answered 503");
        assertThat(logged.list.getFirst().getThrowableProxy().getMessage()).isEqualTo("connection refused");
    }

    @Test
    void anUnexpectedFailureIsA500ThatTellsNothingOfTheInside() throws Exception {
        HttpResponse<String> response = get("/bug", "GET");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"error\":\"internal error\"}").doesNotContain("secret");
        assertThat(logged.list).hasSize(1);
        assertThat(logged.list.getFirst().getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
    }

    @Test
    void headGetsTheHeadersOfTheAnswerWithoutItsBody() throws Exception {
        HttpResponse<String> response = get("/json", "HEAD");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).contains("16");
        assertThat(response.body()).isEmpty();
        assertThat(get("/json", "GET").body()).isEqualTo("{\"videoId\":\"v1\"}");
    }

    @Test
    void anAnswerBeforeTheBodyHasArrivedSaysTheConnectionCloses() throws Exception {
        try (Socket socket = connect()) {
            // the head announces a body that never comes; the handler answers without reading it, as an early 401 does
            send(socket, "POST /gone HTTP/1.1\r\nHost: reel\r\nContent-Length: 100\r\n\r\n");
            String head = readHead(socket);
            assertThat(head).startsWith("HTTP/1.1 404").containsIgnoringCase("connection: close");
        }
    }

    @Test
    void anAnswerAfterTheWholeBodyKeepsTheConnection() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "POST /gone HTTP/1.1\r\nHost: reel\r\nContent-Length: 2\r\n\r\n{}");
            String first = readHead(socket);
            assertThat(first).startsWith("HTTP/1.1 404").doesNotContainIgnoringCase("connection: close");
            socket.getInputStream().readNBytes(contentLength(first));
            send(socket, "GET /json HTTP/1.1\r\nHost: reel\r\n\r\n");
            assertThat(readHead(socket)).as("the next request on the same connection").startsWith("HTTP/1.1 200")
                    .doesNotContainIgnoringCase("connection: close");
        }
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket("127.0.0.1", HttpServers.port(server));
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String request) throws Exception {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static String readHead(Socket socket) throws Exception {
        StringBuilder head = new StringBuilder();
        InputStream in = socket.getInputStream();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed after '" + head + "'");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static int contentLength(String head) {
        return head.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToInt(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElseThrow();
    }

    private HttpResponse<String> get(String path, String method) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
