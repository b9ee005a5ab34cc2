package dev.reel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HTTP through HAProxy, as players and API clients see it. {@link #getPatiently} retries the way a player or a
 * careful client does (after {@code Retry-After}, or a second, on 5xx and broken connections) until a deadline:
 * a request is failed only when it never succeeded in that time.
 */
final class FrontDoor {

    static final ObjectMapper JSON = new ObjectMapper();
    /** hls.js gives a fragment about this long (6 retries, backoff up to 8 s) before a fatal error. */
    static final Duration PLAYER_PATIENCE = Duration.ofSeconds(60);

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FrontDoor(String base) {
        this.base = base;
    }

    /**
     * What one patient request took: its final answer, and the error answers before it (a status, or 0 for a broken
     * connection or timeout).
     */
    record Outcome(HttpResponse<byte[]> response, List<Integer> errorStatuses, Duration waited) {
        int errors() {
            return errorStatuses.size();
        }

        boolean ok() {
            return response != null && response.statusCode() / 100 == 2;
        }

        int status() {
            return response == null ? 0 : response.statusCode();
        }
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * A video's master playlist as the watch page asks for it while the video is processing: held by the edge
     * ({@code Prefer: wait=20}) until a rendition with pictures can play, asked again after each answer without one,
     * until {@code patience} has passed. One request at a time, where polling would add load to what it measures.
     */
    HttpResponse<String> awaitPlayable(String videoId, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v/" + videoId + "/master.m3u8"))
                .timeout(Duration.ofSeconds(30)).header("Prefer", "wait=20").build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        while (answer.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250); // an answer at once (a failed video) is not asked for again in a tight loop
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        return answer;
    }

    /** One API request with an API key and a plain text body (or none); the answer as text. */
    HttpResponse<String> sendText(String method, String path, String apiKey, String text)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "text/plain; charset=utf-8")
                .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One API request with an API key and a JSON body (or none); the answer as text. */
    HttpResponse<String> send(String method, String path, String apiKey, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Retries 5xx and I/O errors until {@code patience} is spent; 4xx are answers, not failures to retry. */
    Outcome getPatiently(String path, Duration patience) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        List<Integer> errors = new ArrayList<>();
        HttpResponse<byte[]> last = null;
        while (true) {
            Duration pause = Duration.ofSeconds(1);
            try {
                last = get(path);
                if (last.statusCode() < 500) {
                    return new Outcome(last, errors, Duration.ofNanos(System.nanoTime() - start));
                }
                errors.add(last.statusCode());
                pause = last.headers().firstValue("Retry-After").map(s -> Duration.ofSeconds(Long.parseLong(s))).orElse(pause);
            } catch (IOException e) {
                last = null;
                errors.add(0);
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                return new Outcome(last, errors, Duration.ofNanos(System.nanoTime() - start));
            }
            Thread.sleep(pause);
        }
    }

    /** The catalog's record of a video, or empty on 404. */
    Optional<JsonNode> video(String videoId) throws IOException, InterruptedException {
        Outcome outcome = getPatiently("/api/catalog/videos/" + videoId, Duration.ofSeconds(30));
        if (outcome.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(json(outcome));
    }

    long views(String videoId) throws IOException, InterruptedException {
        return json(getPatiently("/api/catalog/videos/" + videoId + "/views", Duration.ofSeconds(30))).get("views").asLong();
    }

    static JsonNode json(Outcome outcome) throws IOException {
        if (!outcome.ok()) {
            throw new IOException("HTTP " + outcome.status()
                    + (outcome.response() == null ? "" : ": " + new String(outcome.response().body())));
        }
        return JSON.readTree(outcome.response().body());
    }

    String base() {
        return base;
    }
}
