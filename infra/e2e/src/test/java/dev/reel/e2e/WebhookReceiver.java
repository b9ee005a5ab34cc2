package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhook receiver of {@code webhooks/README.md}, run as it is written there: its {@code js} block saved as
 * {@code receiver.mjs} and started with node. Each event it accepts is a JSON line on its output, collected here
 * across restarts of the process.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final Pattern README_BLOCK = Pattern.compile("```js\n(// receiver\\.mjs.*?)```", Pattern.DOTALL);

    private final Path script;
    private final int port;
    private final String secret;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private Process process;

    private WebhookReceiver(Path script, int port, String secret) {
        this.script = script;
        this.port = port;
        this.secret = secret;
    }

    /** Saves the README's receiver under {@code dir}; the receiver is not started. */
    static WebhookReceiver fromReadme(Path readme, Path dir, int port, String secret) throws IOException {
        Matcher block = README_BLOCK.matcher(Files.readString(readme));
        assertThat(block.find()).as("a ```js block starting with // receiver.mjs in " + readme).isTrue();
        Files.createDirectories(dir);
        Path script = dir.resolve("receiver.mjs");
        Files.writeString(script, block.group(1));
        return new WebhookReceiver(script, port, secret);
    }

    String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    void start() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", script.toString()).redirectError(
                ProcessBuilder.Redirect.appendTo(script.resolveSibling("receiver.err").toFile()));
        builder.environment().putAll(Map.of("WEBHOOK_SECRET", secret, "PORT", Integer.toString(port)));
        process = builder.start();
        Process started = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    received.add(FrontDoor.JSON.readTree(line));
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "webhook-receiver-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!listening()) {
            assertThat(process.isAlive()).as("the receiver runs; see " + script.resolveSibling("receiver.err")).isTrue();
            assertThat(System.nanoTime()).as("the receiver listens within 20 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Kills the receiver: deliveries to it fail until it starts again. */
    void stop() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** The events it accepted, once each per run of the process (a repeat within one run is not printed). */
    List<JsonNode> received() {
        return List.copyOf(received);
    }

    boolean hasReceived(String eventId) {
        return received.stream().anyMatch(e -> e.get("id").asText().equals(eventId));
    }

    /** A POST made by the test, e.g. a forged delivery; its status. */
    int post(byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url())).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/cloudevents+json");
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private boolean listening() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
