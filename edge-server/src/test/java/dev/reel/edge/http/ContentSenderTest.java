package dev.reel.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.eclipse.jetty.http.ByteRange;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP semantics of {@link ContentSender} on a real Jetty server: validators, ranges, HEAD, gzip of playlists. */
class ContentSenderTest {

    private static final byte[] PLAYLIST = "#EXTM3U\n#EXT-X-VERSION:7\n#EXTINF:2.0,\nseg-00001.m4s\n#EXTINF:2.0,\nseg-00002.m4s\n"
            .repeat(4).getBytes(StandardCharsets.UTF_8);
    private static final Instant MODIFIED = Instant.parse("2026-11-24T10:00:00.123Z");

    private Server server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        ContentSender sender = new ContentSender();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(TextCompression.around(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                sender.send(request, response, callback, "p", PLAYLIST, MediaTypes.PLAYLIST, "\"m7t0\"", MODIFIED,
                        "public, max-age=2");
                return true;
            }
        }));
        server.start();
    }

    @AfterEach
    void stop() {
        LifeCycle.stop(server);
    }

    private HttpResponse<byte[]> get(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void validatorsGive304() throws Exception {
        HttpResponse<byte[]> full = get();
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).isEqualTo(PLAYLIST);
        assertThat(full.headers().firstValue("ETag")).hasValue("\"m7t0\"");
        assertThat(get("If-None-Match", "\"m7t0\"").statusCode()).isEqualTo(304);
        assertThat(get("If-Modified-Since", full.headers().firstValue("Last-Modified").orElseThrow()).statusCode())
                .isEqualTo(304);
    }

    @Test
    void gzipsPlaylistsAndKeepsValidatorsWorking() throws Exception {
        HttpResponse<byte[]> zipped = get("Accept-Encoding", "gzip");
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String etag = zipped.headers().firstValue("ETag").orElseThrow();
        assertThat(get("Accept-Encoding", "gzip", "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void aSingleRangeReadableWithoutTheSizeIsRecognised() {
        assertThat(ContentSender.singleRange("bytes=100-1099")).contains(new ByteRange(100, 1_099));
        assertThat(ContentSender.singleRange(" bytes=0-0 ")).contains(new ByteRange(0, 0));
        assertThat(ContentSender.singleRange("bytes=500-")).contains(new ByteRange(500, ContentSender.OPEN_END));
        for (String other : new String[]{"bytes=-500", "bytes=0-1,3-4", "bytes=9-3", "items=0-1", "bytes=a-b",
                "bytes=1234567890123456-", ""}) {
            assertThat(ContentSender.singleRange(other)).as(other).isEmpty();
        }
    }

    @Test
    void boundsMultiRangeRequests() throws Exception {
        HttpResponse<byte[]> parts = get("Range", "bytes=0-1,3-4");
        assertThat(parts.statusCode()).isEqualTo(206);
        assertThat(parts.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("multipart/byteranges"));
        String body = new String(parts.body(), StandardCharsets.ISO_8859_1);
        assertThat(body).as("each part holds its bytes of the content")
                .contains("\r\n\r\n" + new String(PLAYLIST, 0, 2, StandardCharsets.ISO_8859_1) + "\r\n")
                .contains("\r\n\r\n" + new String(PLAYLIST, 3, 2, StandardCharsets.ISO_8859_1) + "\r\n");
        assertThat(get("Range", "bytes=0-1,3-4,6-7,9-10,12-13").statusCode()).isEqualTo(416);
    }
}
