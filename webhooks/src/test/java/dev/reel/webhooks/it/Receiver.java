package dev.reel.webhooks.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reel.webhooks.signing.Secrets;
import dev.reel.webhooks.signing.Signatures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver for the tests: on {@code /ok} it verifies every delivery's signature against the secrets it was
 * told and records the event id (400 for a bad signature); {@code /fail} always answers 500. It can be stopped and
 * started again on the same port.
 */
final class Receiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, JsonNode> received = new ConcurrentHashMap<>();
    final List<String> signatureHeaders = new CopyOnWriteArrayList<>();
    final AtomicInteger badSignatures = new AtomicInteger();
    final AtomicInteger failAnswers = new AtomicInteger();
    private final int port;
    private volatile List<String> secrets = List.of();
    private HttpServer server;

    Receiver(int port) throws IOException {
        this.port = port;
        start();
    }

    static Receiver onFreePort() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new Receiver(port);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    void trust(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/ok", this::ok);
        server.createContext("/fail", exchange -> {
            failAnswers.incrementAndGet();
            answer(exchange, 500);
        });
        server.start();
    }

    synchronized void stop() {
        server.stop(0);
    }

    private void ok(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String id = exchange.getRequestHeaders().getFirst(Signatures.ID);
        long timestamp = Long.parseLong(exchange.getRequestHeaders().getFirst(Signatures.TIMESTAMP));
        String header = exchange.getRequestHeaders().getFirst(Signatures.SIGNATURE);
        signatureHeaders.add(header);
        List<String> offered = List.of(header.split(" "));
        boolean valid = secrets.stream().anyMatch(secret -> offered
                .contains("v1," + Signatures.sign(Secrets.signingKey(secret), id, timestamp, body)));
        if (!valid) {
            badSignatures.incrementAndGet();
            answer(exchange, 400);
            return;
        }
        JsonNode event = JSON.readTree(body);
        if (!event.get("id").asText().equals(id)) {
            answer(exchange, 400);
            return;
        }
        received.put(id, event);
        answer(exchange, 204);
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        stop();
    }
}
