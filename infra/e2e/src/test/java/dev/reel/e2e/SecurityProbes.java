package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.ingest.client.IngestClient;
import dev.reel.ingest.client.IngestException;
import dev.reel.ingest.client.UploadRequest;
import dev.reel.launcher.ReelPlatform;
import dev.reel.service.auth.PlaybackTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The security suite, against the real platform through its front door: each probe an outsider (or another owner)
 * could try, what it got, and whether that is the answer it must get. Every probe is asserted; the table goes to
 * {@code target/test-artifacts/security-report.md} and the root README.
 */
final class SecurityProbes {

    /** One probe and its answer. */
    record Probe(String what, String expected, String got, boolean ok) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ReelPlatform platform;
    private final String base;
    private final List<Probe> probes = new ArrayList<>();

    SecurityProbes(ReelPlatform platform) {
        this.platform = platform;
        this.base = platform.frontDoor();
    }

    List<Probe> probes() {
        return List.copyOf(probes);
    }

    /**
     * Runs every probe on a private, an unlisted and a public video of the local owner, with a second owner's key
     * added by {@code reel keys add}, and a revoked one.
     */
    void run(Videos videos, Path work) throws Exception {
        String ownerKey = platform.apiKey();
        String otherKey = addKey(work, "mallory");
        String revokedKey = addKey(work, "eve");
        run(work, "keys", "revoke", "--key", revokedKey);
        IngestClient owner = IngestClient.builder(URI.create(base), ownerKey).build();
        IngestClient other = IngestClient.builder(URI.create(base), otherKey).build();
        Path clip = videos.source("security-360p", 4, 360);
        String secret = owner.upload(clip, new UploadRequest("Secret", "private", "private", "secret.mp4")).videoId();
        String hidden = owner.upload(clip, new UploadRequest("Hidden", "unlisted", "unlisted", "hidden.mp4")).videoId();
        owner.waitFor(secret, java.util.Set.of("READY"), Duration.ofMinutes(4), s -> {
        });
        owner.waitFor(hidden, java.util.Set.of("READY"), Duration.ofMinutes(4), s -> {
        });
        String unknown = "AAAAAAAAAAAAAAAAAAAAAA";
        PlaybackTokens tokens = new PlaybackTokens(secrets(work).getProperty("playback-token.key")
                .getBytes(StandardCharsets.UTF_8));
        String token = owner.playbackToken(secret);
        String expired = tokens.mint(secret, Instant.now().minusSeconds(1));
        String otherVideosToken = owner.playbackToken(hidden);

        // Private means private: every answer without the owner's key or a token is the unknown id's.
        for (String path : List.of("/api/catalog/videos/%s", "/api/catalog/videos/%s/views", "/v/%s/master.m3u8",
                "/v/%s/poster.jpg", "/v/%s/240p/init.mp4", "/v/%s/240p/seg-00001.m4s", "/watch/%s", "/v/%s/manifest.mpd",
                "/dash/%s", "/v/%s/download/240p.mp4", "/api/analytics/videos/%s")) {
            String mine = path.formatted(secret);
            String nobody = path.formatted(unknown);
            sameAsUnknown("GET " + mine + " anonymous", get(mine, null), get(nobody, null), secret, unknown);
            sameAsUnknown("GET " + mine + " with another owner's key", get(mine, otherKey), get(nobody, otherKey), secret,
                    unknown);
            sameAsUnknown("GET " + mine + " with a revoked key of another owner", get(mine, revokedKey),
                    get(nobody, revokedKey), secret, unknown);
            String q = mine.contains("?") ? "&" : "?";
            sameAsUnknown("GET " + mine + " with an expired token", get(mine + q + "token=" + expired, null),
                    get(nobody + q + "token=" + expired, null), secret, unknown);
            sameAsUnknown("GET " + mine + " with another video's token", get(mine + q + "token=" + otherVideosToken, null),
                    get(nobody + q + "token=" + otherVideosToken, null), secret, unknown);
        }
        expect("GET the private record with its owner's key", get("/api/catalog/videos/" + secret, ownerKey), 200);
        expect("GET the private watch page with a valid token", get("/watch/" + secret + "?token=" + token, null), 200);
        expect("GET a private segment with a valid token", get("/v/" + secret + "/240p/seg-00001.m4s?token=" + token, null),
                200);
        // Lists and trending.
        expect("GET /api/catalog/videos?visibility=private anonymous", get("/api/catalog/videos?visibility=private", null),
                401);
        check("GET /api/catalog/videos?visibility=any with another owner's key: not listed",
                get("/api/catalog/videos?visibility=any&limit=200", otherKey), 200,
                body -> !body.contains(secret) && !body.contains(hidden));
        check("GET /api/catalog/videos?visibility=any with the owner's key: both listed",
                get("/api/catalog/videos?visibility=any&limit=200", ownerKey), 200,
                body -> body.contains(secret) && body.contains(hidden));
        check("GET /api/catalog/videos (public) anonymous: neither listed", get("/api/catalog/videos?limit=200", null), 200,
                body -> !body.contains(secret) && !body.contains(hidden));
        check("GET /api/catalog/trending?window=24h&limit=100: neither ranked",
                get("/api/catalog/trending?window=24h&limit=100", null), 200,
                body -> !body.contains(secret) && !body.contains(hidden));
        expect("GET the unlisted video by id anonymous", get("/api/catalog/videos/" + hidden, null), 200);
        check("GET / (library): neither shown", get("/", null), 200, body -> !body.contains(secret) && !body.contains(hidden));
        // Owners apart at ingest.
        for (var attempt : Map.<String, IngestCall>of(
                "PATCH /api/videos/{private} with another owner's key", () -> other.updateMetadata(secret, "Mine", null, null),
                "DELETE /api/videos/{private} with another owner's key", () -> other.delete(secret),
                "POST /api/videos/{private}/playback-token with another owner's key", () -> other.playbackToken(secret),
                "PATCH /api/videos/{unknown} with another owner's key", () -> other.updateMetadata(unknown, "x", null, null))
                .entrySet()) {
            String got;
            try {
                attempt.getValue().call();
                got = "done";
            } catch (IngestException e) {
                got = e.getMessage();
            }
            record(attempt.getKey(), "404: no such video", got, got.equals("404: no such video"));
        }
        expect("POST /api/videos with a revoked key", post("/api/videos?title=x", revokedKey, new byte[10]), 401);
        // Internal things stay inside.
        expect("GET /internal/videos/{id} through the front door", get("/internal/videos/" + secret, null), 404);
        expect("GET /api/catalog/internal/videos through the front door", get("/api/catalog/internal/videos", null), 404);
        expect("GET /metrics through the front door", get("/metrics", null), 404);
        expect("GET analytics' instance-to-instance partials through the front door",
                get("/api/analytics/internal/partials?granularity=MINUTE&key=all&from=0&to=1", null), 404);
        // Path traversal and malformed input.
        for (String path : List.of("/v/" + secret + "/../../originals/" + secret + "/source",
                "/v/%2e%2e/%2e%2e/originals/" + secret + "/source", "/assets/..%2f..%2fetc%2fpasswd", "/v/" + secret
                        + "/240p/..%2f..%2fthumb.jpg",
                "/watch/..%2f..%2fetc%2fpasswd")) {
            int status = raw("GET " + path + " HTTP/1.1\r\nHost: reel\r\nConnection: close\r\n\r\n");
            record("GET " + path + " (path traversal)", "400 or 404", Integer.toString(status), status == 400 || status == 404);
        }
        int bigHeader = raw("GET / HTTP/1.1\r\nHost: reel\r\nX-Big: " + "a".repeat(70_000) + "\r\nConnection: close\r\n\r\n");
        record("GET / with a 70 KB header", "400 or 431", Integer.toString(bigHeader), bigHeader == 400 || bigHeader == 431);
        int longUri = raw("GET /v/" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: reel\r\nConnection: close\r\n\r\n");
        record("GET a 70 KB URI", "400 or 414", Integer.toString(longUri), longUri == 400 || longUri == 414);
        int malformed = raw("GET / HTTP/1.1\r\nHost: reel\r\nNot a header line\r\nConnection: close\r\n\r\n");
        record("GET / with a malformed header line", "400", Integer.toString(malformed), malformed == 400);
        int badRange = status(get("/v/" + hidden + "/240p/seg-00001.m4s", null, "Range", "bytes=99999999-"));
        record("GET a segment with an unsatisfiable Range", "416", Integer.toString(badRange), badRange == 416);
        int manyRanges = status(get("/v/" + hidden + "/240p/seg-00001.m4s", null, "Range",
                "bytes=0-1,2-3,4-5,6-7,8-9,10-11"));
        record("GET a segment with 6 ranges", "416", Integer.toString(manyRanges), manyRanges == 416);
        // Abuse bounded.
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> beacon = post("/api/beacon", null, ("{\"videoId\":\"" + hidden
                    + "\",\"sessionId\":\"security-probe\",\"stalls\":0}").getBytes(StandardCharsets.UTF_8));
            if (beacon.statusCode() == 429) {
                limited++;
                retryAfter = beacon.headers().firstValue("Retry-After").orElse(null);
            }
        }
        record("40 beacons at once from one client", "some 429 with Retry-After", limited + " answered 429, Retry-After "
                + retryAfter, limited > 0 && retryAfter != null);
        HttpResponse<String> page = get("/watch/" + hidden, null);
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        record("GET /watch/{id}: security headers", "CSP script-src 'self', nosniff, no-referrer",
                csp + " | " + page.headers().firstValue("X-Content-Type-Options").orElse("-") + " | "
                        + page.headers().firstValue("Referrer-Policy").orElse("-"),
                csp.contains("script-src 'self'") && !csp.contains("unsafe-inline")
                        && "nosniff".equals(page.headers().firstValue("X-Content-Type-Options").orElse(""))
                        && "no-referrer".equals(page.headers().firstValue("Referrer-Policy").orElse("")));
        // Deleted: gone everywhere, for its owner too.
        owner.delete(secret);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (status(get("/api/catalog/videos/" + secret, ownerKey)) != 404 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        expect("GET a deleted private video with its owner's key", get("/api/catalog/videos/" + secret, ownerKey), 404);
        // The edges learn of the deletion from reel.catalog's tombstone, within a poll of it.
        String segment = "/v/" + secret + "/240p/seg-00001.m4s?token=" + token;
        long deletedAt = System.nanoTime();
        while (status(get(segment, null)) != 404 && System.nanoTime() - deletedAt < TimeUnit.SECONDS.toNanos(30)) {
            Thread.sleep(100);
        }
        long edgeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deletedAt);
        HttpResponse<String> gone = get(segment, null);
        record("GET a deleted private video's (cached) segment with its unexpired token", "404 within seconds",
                gone.statusCode() + " " + edgeMillis + " ms after the catalog's 404", gone.statusCode() == 404);
        owner.delete(hidden);
    }

    @FunctionalInterface
    private interface IngestCall {
        void call() throws IOException, InterruptedException;
    }

    void write(Path file) throws IOException {
        StringBuilder md = new StringBuilder("| probe (through the front door) | must get | got | |\n|---|---|---|---|\n");
        probes.forEach(p -> md.append("| ").append(p.what().replace("|", "\\|")).append(" | ").append(p.expected())
                .append(" | ").append(p.got().replace("|", "\\|")).append(" | ").append(p.ok() ? "ok" : "**WRONG**")
                .append(" |\n"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, md);
    }

    private void sameAsUnknown(String what, HttpResponse<String> probed, HttpResponse<String> unknown, String id,
            String unknownId) {
        boolean same = probed.statusCode() == unknown.statusCode() && probed.statusCode() == 404
                && probed.body().equals(unknown.body().replace(unknownId, id));
        record(what, "404, the unknown id's body", probed.statusCode() + (same ? " (same body)" : " " + probed.body()), same);
    }

    private void expect(String what, HttpResponse<String> response, int status) {
        record(what, Integer.toString(status), Integer.toString(response.statusCode()), response.statusCode() == status);
    }

    private void check(String what, HttpResponse<String> response, int status, Predicate<String> body) {
        boolean ok = response.statusCode() == status && body.test(response.body());
        record(what, status + " without them", response.statusCode() + (ok ? "" : " " + response.body()), ok);
    }

    private void record(String what, String expected, String got, boolean ok) {
        probes.add(new Probe(what, expected, got, ok));
        assertThat(ok).as("%s: expected %s, got %s", what, expected, got).isTrue();
    }

    private HttpResponse<String> get(String path, String apiKey, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String apiKey, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // a kept-alive connection the front door closed as it was reused (HTTP/1.1 gives no answer then, and the
            // client does not resend a POST): sent again once, on a new connection
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static int status(HttpResponse<String> response) {
        return response.statusCode();
    }

    /** Sends raw bytes (what an HTTP client library refuses to send) and returns the status line's code. */
    private int raw(String request) throws IOException {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
            String[] parts = line.toString().split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        }
    }

    private String addKey(Path work, String owner) throws Exception {
        String printed = run(work, "keys", "add", "--owner", owner);
        return printed.lines().filter(l -> l.startsWith("key ")).findFirst().orElseThrow().split(" ")[1];
    }

    private String run(Path work, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--run-dir", platform.runDir().toString()));
        Process process = new ProcessBuilder(ReelPlatform.javaCommand(command)).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(printed).isZero();
        Thread.sleep(1_500); // every service follows reel.keys: a second for the new key to apply
        return printed;
    }

    private Properties secrets(Path work) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(platform.runDir().resolve("secrets.properties"))) {
            properties.load(in);
        }
        return properties;
    }
}
