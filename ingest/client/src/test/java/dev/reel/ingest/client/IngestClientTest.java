package dev.reel.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The client's own logic against a small real HTTP server standing in for the catalog. */
class IngestClientTest {

    @Test
    void uploadMetadataIsBase64Utf8Pairs() {
        String header = IngestClient.metadata(new UploadRequest("Été", null, "private", "a.mp4"));
        assertThat(header).isEqualTo("title " + b64("Été") + ",visibility " + b64("private") + ",filename " + b64("a.mp4"));
    }

    @Test
    void waitingToleratesAnUnknownVideoAndAnUnreadyCatalogThenFollowsItToReady() throws Exception {
        String[] answers = {"404", "503", "TRANSCODING:40", "TRANSCODING:40", "TRANSCODING:80", "READY:100"};
        AtomicInteger calls = new AtomicInteger();
        HttpServer catalog = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        catalog.createContext("/api/catalog/videos/", exchange -> {
            String answer = answers[Math.min(calls.getAndIncrement(), answers.length - 1)];
            int status = answer.startsWith("4") || answer.startsWith("5") ? Integer.parseInt(answer) : 200;
            String body = status == 200
                    ? "{\"videoId\":\"vid12345678\",\"state\":\"" + answer.split(":")[0] + "\",\"progressPercent\":"
                            + answer.split(":")[1]
                            + ",\"failureReason\":null}"
                    : "{\"error\":\"not yet\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        catalog.start();
        try {
            IngestClient client = IngestClient.builder(URI.create("http://127.0.0.1:" + catalog.getAddress().getPort()), null)
                    .retry(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20))).build();
            List<String> seen = new ArrayList<>();
            VideoStatus last = client.waitFor("vid12345678", Set.of("READY"), Duration.ofMinutes(1),
                    status -> seen.add(status.state() + ":" + (int) status.progressPercent()));
            assertThat(last.state()).isEqualTo("READY");
            assertThat(seen).containsExactly("TRANSCODING:40", "TRANSCODING:80", "READY:100");
        } finally {
            catalog.stop(0);
        }
    }

    @Test
    void theListenerHearsTheBodyGoOutBeforeTheServerAcknowledgesIt() throws Exception {
        int length = 3 * 1024 * 1024 + 17;
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        HttpServer tus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tus.createContext("/api/uploads", exchange -> {
            if (exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Location", "/api/uploads/vid12345678");
                exchange.sendResponseHeaders(201, -1);
            } else { // the PATCH: the whole body has arrived before the answer
                long received = exchange.getRequestBody().readAllBytes().length;
                heard.add("server has " + received);
                exchange.getResponseHeaders().add("Upload-Offset", Long.toString(received));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        tus.start();
        try {
            IngestClient client = IngestClient.builder(URI.create("http://127.0.0.1:" + tus.getAddress().getPort()), null)
                    .build();
            long[] lastSent = {0};
            client.upload(new ByteArrayInputStream(new byte[length]), length, new UploadRequest("t", null, null,
                    null), new UploadListener() {
                        @Override
                        public void sending(long sent, long total) {
                            assertThat(sent).isGreaterThan(lastSent[0]).isLessThanOrEqualTo(total);
                            lastSent[0] = sent;
                            if (sent == total) {
                                heard.add("last byte out");
                            }
                        }

                        @Override
                        public void progress(long sent, long total) {
                            heard.add("acknowledged " + sent);
                        }
                    });
            assertThat(lastSent[0]).isEqualTo(length);
            assertThat(heard).containsSubsequence("acknowledged 0", "last byte out", "acknowledged " + length)
                    .contains("server has " + length);
        } finally {
            tus.stop(0);
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
