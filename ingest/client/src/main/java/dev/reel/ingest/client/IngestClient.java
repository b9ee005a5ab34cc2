package dev.reel.ingest.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A client of Reel's upload API for other systems: resumable tus uploads of a file or a stream that survive lost
 * connections and restarts of the service (retries with exponential backoff, resuming from the offset the server
 * reports), metadata edits, deletion, playback tokens, and waiting for a video's state in the catalog.
 *
 * <pre>{@code
 * IngestClient client = IngestClient.builder(URI.create("http://127.0.0.1:8080"), apiKey).build();
 * UploadResult result = client.upload(Path.of("clip.mp4"), new UploadRequest("My clip", null, "public", "clip.mp4"));
 * client.waitFor(result.videoId(), Set.of("READY"), Duration.ofMinutes(10), status -> {});
 * }</pre>
 *
 * Thread-safe; one instance can run many uploads at once.
 */
public final class IngestClient {

    static final String TUS_VERSION = "1.0.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI apiUrl;
    private final String apiKey;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final int chunkBytes;
    private final boolean checksums;
    private final Duration requestTimeout;

    private IngestClient(Builder builder) {
        this.apiUrl = builder.apiUrl;
        this.apiKey = builder.apiKey;
        this.http = builder.http != null
                ? builder.http
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
        this.retry = builder.retry;
        this.chunkBytes = builder.chunkBytes;
        this.checksums = builder.checksums;
        this.requestTimeout = builder.requestTimeout;
    }

    /**
     * @param apiUrl the front door (or an ingest instance), e.g. {@code http://127.0.0.1:8080}
     * @param apiKey an API key configured on the service; may be {@code null} for status queries only
     */
    public static Builder builder(URI apiUrl, String apiKey) {
        return new Builder(apiUrl, apiKey);
    }

    /** Uploads a file from the start (creates a new upload). */
    public UploadResult upload(Path file, UploadRequest request) throws IOException, InterruptedException {
        return upload(file, request, null, UploadListener.NONE);
    }

    /**
     * Uploads a file; with {@code resumeUrl} (an upload this client created earlier, e.g. before a crash) continues it
     * from the server's offset instead of starting over. A resume URL the server no longer knows (404, 410) starts a
     * new upload.
     */
    public UploadResult upload(Path file, UploadRequest request, URI resumeUrl, UploadListener listener)
            throws IOException, InterruptedException {
        try (ChunkSource source = ChunkSource.of(file)) {
            return upload(source, request, resumeUrl, listener);
        }
    }

    /** Uploads {@code length} bytes from a stream; a failed chunk is sent again from memory (one chunk is kept). */
    public UploadResult upload(InputStream in, long length, UploadRequest request, UploadListener listener)
            throws IOException, InterruptedException {
        try (ChunkSource source = ChunkSource.of(in, length)) {
            return upload(source, request, null, listener);
        }
    }

    private UploadResult upload(ChunkSource source, UploadRequest request, URI resumeUrl, UploadListener listener)
            throws IOException, InterruptedException {
        long length = source.length();
        URI upload = null;
        long offset = 0;
        if (resumeUrl != null) {
            Optional<Long> serverOffset = offset(resumeUrl);
            if (serverOffset.isPresent()) {
                upload = resumeUrl;
                offset = serverOffset.get();
            }
        }
        if (upload == null) {
            upload = create(length, request);
        }
        String videoId = lastSegment(upload);
        listener.started(upload, videoId, offset, length);
        listener.progress(offset, length);
        HttpResponse<String> last = null;
        while (offset < length || last == null) {
            PatchOutcome outcome = patch(upload, source, offset, listener);
            offset = outcome.offset();
            last = outcome.response();
            listener.progress(offset, length);
        }
        return new UploadResult(videoId, upload, header(last, "Reel-Status-Url"), header(last, "Reel-Watch-Url"));
    }

    /** Creates a tus upload of {@code length} bytes and returns its URL. */
    public URI create(long length, UploadRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = authorized(apiUrl.resolve("/api/uploads"))
                .header("Tus-Resumable", TUS_VERSION)
                .header("Upload-Length", Long.toString(length))
                .POST(HttpRequest.BodyPublishers.noBody());
        String metadata = metadata(request);
        if (!metadata.isEmpty()) {
            builder.header("Upload-Metadata", metadata);
        }
        HttpResponse<String> response = withRetries("create the upload",
                () -> http.send(builder.build(), HttpResponse.BodyHandlers.ofString()));
        expect(response, 201);
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new IngestException(response.statusCode(), "the server created an upload without a Location"));
        return apiUrl.resolve(location);
    }

    /** The server's offset of an upload, or empty when it does not know the upload (any more). */
    public Optional<Long> offset(URI upload) throws IOException, InterruptedException {
        HttpRequest request = authorized(upload).header("Tus-Resumable", TUS_VERSION)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = withRetries("ask for the offset",
                () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        if (response.statusCode() == 404 || response.statusCode() == 410) {
            return Optional.empty();
        }
        expect(response, 200);
        return Optional.of(Long.parseLong(header(response, "Upload-Offset")));
    }

    /** Terminates an upload: the server aborts it and deletes its bytes. */
    public void cancel(URI upload) throws IOException, InterruptedException {
        HttpRequest request = authorized(upload).header("Tus-Resumable", TUS_VERSION).DELETE().build();
        HttpResponse<String> response = withRetries("terminate the upload",
                () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        if (response.statusCode() != 404 && response.statusCode() != 410) {
            expect(response, 204);
        }
    }

    /** Edits a video's metadata; {@code null} fields stay as they are. */
    public void updateMetadata(String videoId, String title, String description, String visibility)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        if (title != null) {
            body.put("title", title);
        }
        if (description != null) {
            body.put("description", description);
        }
        if (visibility != null) {
            body.put("visibility", visibility);
        }
        HttpRequest request = authorized(videoUrl(videoId)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString())).build();
        expect(withRetries("edit the video", () -> http.send(request, HttpResponse.BodyHandlers.ofString())), 200);
    }

    /** Deletes a video; its objects are removed in the background. */
    public void delete(String videoId) throws IOException, InterruptedException {
        HttpRequest request = authorized(videoUrl(videoId)).DELETE().build();
        expect(withRetries("delete the video", () -> http.send(request, HttpResponse.BodyHandlers.ofString())), 202);
    }

    /** A token that lets the owner play a private video (query parameter {@code token}). */
    public String playbackToken(String videoId) throws IOException, InterruptedException {
        HttpRequest request = authorized(URI.create(videoUrl(videoId) + "/playback-token"))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = withRetries("get a playback token",
                () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        expect(response, 200);
        return JSON.readTree(response.body()).path("token").asText();
    }

    /** The video's state in the catalog, or empty while the catalog does not know it yet (404) or is not ready (503). */
    public Optional<VideoStatus> status(String videoId) throws IOException, InterruptedException {
        // With the key: a private video is visible to its owner only (anyone else gets the unknown id's 404).
        HttpRequest request = authorized(apiUrl.resolve("/api/catalog/videos/" + videoId)).timeout(requestTimeout)
                .GET().build();
        HttpResponse<String> response = withRetries("ask for the video's state",
                () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        if (response.statusCode() == 404 || response.statusCode() == 503) {
            return Optional.empty();
        }
        expect(response, 200);
        JsonNode node = JSON.readTree(response.body());
        return Optional.of(new VideoStatus(node.path("videoId").asText(videoId), node.path("state").asText(),
                node.path("progressPercent").asDouble(),
                node.path("failureReason").isNull() ? null : node.path("failureReason").asText(null)));
    }

    /**
     * Polls the catalog until the video is in one of {@code states} or has failed, telling {@code onChange} of every new
     * state or progress.
     *
     * @return the last status (in {@code states}, or failed)
     * @throws IOException when the deadline passes first
     */
    public VideoStatus waitFor(String videoId, Set<String> states, Duration timeout, Consumer<VideoStatus> onChange)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        VideoStatus last = null;
        long pause = 250;
        while (Instant.now().isBefore(deadline)) {
            Optional<VideoStatus> status = status(videoId);
            if (status.isPresent() && !status.get().equals(last)) {
                last = status.get();
                onChange.accept(last);
                pause = 250;
            }
            if (last != null && (states.contains(last.state()) || last.isFailed())) {
                return last;
            }
            Thread.sleep(pause); // polling the catalog: back off while nothing changes
            pause = Math.min(2000, pause * 2);
        }
        throw new IOException("video " + videoId + " did not reach " + states + " within " + timeout
                + (last == null ? " (the catalog never reported it)" : " (last state " + last.state() + ")"));
    }

    private record PatchOutcome(long offset, HttpResponse<String> response) {
    }

    /** The body, telling the listener how far it has gone out ({@link UploadListener#sending}) as the client pulls it. */
    private static HttpRequest.BodyPublisher reportingSent(HttpRequest.BodyPublisher body, long from, long total,
            UploadListener listener) {
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return body.contentLength();
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                body.subscribe(new Flow.Subscriber<ByteBuffer>() {
                    private long sent = from;

                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(subscription);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        sent += item.remaining();
                        subscriber.onNext(item);
                        listener.sending(sent, total);
                    }

                    @Override
                    public void onError(Throwable error) {
                        subscriber.onError(error);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        };
    }

    /**
     * Sends the chunk at {@code offset}. On a transient failure asks the server for its offset and goes on from there,
     * so bytes the server kept from a cut request are not sent twice.
     */
    private PatchOutcome patch(URI upload, ChunkSource source, long offset, UploadListener listener)
            throws IOException, InterruptedException {
        long at = offset;
        for (int attempt = 1;; attempt++) {
            String failure;
            try {
                ByteBuffer chunk = source.chunk(at, chunkBytes);
                HttpRequest.Builder builder = authorized(upload)
                        .header("Tus-Resumable", TUS_VERSION)
                        .header("Upload-Offset", Long.toString(at))
                        .header("Content-Type", "application/offset+octet-stream")
                        .method("PATCH", reportingSent(HttpRequest.BodyPublishers.ofByteArray(chunk.array(),
                                chunk.arrayOffset() + chunk.position(), chunk.remaining()), at, source.length(), listener));
                if (checksums) {
                    builder.header("Upload-Checksum", "sha256 " + sha256(chunk.duplicate()));
                }
                HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 204) {
                    return new PatchOutcome(Long.parseLong(header(response, "Upload-Offset")), response);
                }
                if (status != 409 && status != 423 && status != 460 && status < 500) {
                    throw failed(response);
                }
                failure = status + " " + reason(response);
            } catch (IOException e) {
                failure = e.toString();
            }
            if (attempt >= retry.maxAttempts()) {
                throw new IOException("gave up after " + attempt + " attempts to upload at byte " + at + ": " + failure);
            }
            long pause = retry.pauseAfter(attempt).toMillis();
            listener.retrying(attempt, pause, failure);
            Thread.sleep(pause);
            Optional<Long> serverOffset = offset(upload);
            if (serverOffset.isEmpty()) {
                throw new IngestException(404, "the server no longer knows upload " + upload);
            }
            at = serverOffset.get();
            if (at == source.length()) {
                // Every byte is there: the last request's answer was lost, or the server is finishing. A PATCH of
                // nothing at the end asks it to finish (again) and answers with the video's links.
                return finishAgain(upload, at, listener);
            }
        }
    }

    private PatchOutcome finishAgain(URI upload, long length, UploadListener listener) throws IOException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            HttpRequest request = authorized(upload).header("Tus-Resumable", TUS_VERSION)
                    .header("Upload-Offset", Long.toString(length))
                    .header("Content-Type", "application/offset+octet-stream")
                    .method("PATCH", HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 204) {
                return new PatchOutcome(length, response);
            }
            if (response.statusCode() == 409) { // already complete: HEAD carries the links
                HttpResponse<String> head = http.send(authorized(upload).header("Tus-Resumable", TUS_VERSION)
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                return new PatchOutcome(length, head);
            }
            if (response.statusCode() < 500 && response.statusCode() != 423 || attempt >= retry.maxAttempts()) {
                throw failed(response);
            }
            long pause = retry.pauseAfter(attempt).toMillis();
            listener.retrying(attempt, pause, response.statusCode() + " " + reason(response));
            Thread.sleep(pause);
        }
    }

    private interface Call {
        HttpResponse<String> send() throws IOException, InterruptedException;
    }

    /** Retries connection failures and 5xx/423 answers with backoff; returns the first other answer (or the last one). */
    private HttpResponse<String> withRetries(String what, Call call) throws IOException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                HttpResponse<String> response = call.send();
                boolean retryable = response.statusCode() >= 500 || response.statusCode() == 423;
                if (!retryable || attempt >= retry.maxAttempts()) {
                    return response;
                }
            } catch (IOException e) {
                if (attempt >= retry.maxAttempts()) {
                    throw new IOException("could not " + what + " after " + attempt + " attempts: " + e, e);
                }
            }
            Thread.sleep(retry.pauseAfter(attempt).toMillis());
        }
    }

    private HttpRequest.Builder authorized(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout);
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    private URI videoUrl(String videoId) {
        return apiUrl.resolve("/api/videos/" + videoId);
    }

    static String metadata(UploadRequest request) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("title", request.title());
        values.put("description", request.description());
        values.put("visibility", request.visibility());
        values.put("filename", request.filename());
        StringJoiner header = new StringJoiner(",");
        values.forEach((key, value) -> {
            if (value != null) {
                header.add(key + " " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
            }
        });
        return header.toString();
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw failed(response);
        }
    }

    private static IngestException failed(HttpResponse<String> response) {
        return new IngestException(response.statusCode(), reason(response));
    }

    private static String reason(HttpResponse<String> response) {
        String body = response.body();
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: fall back to the raw body
        }
        return body == null || body.isBlank() ? "(no reason given)" : body.strip();
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String lastSegment(URI uri) {
        String path = uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String sha256(ByteBuffer bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes);
            return Base64.getEncoder().encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Settings of an {@link IngestClient}. */
    public static final class Builder {
        private final URI apiUrl;
        private final String apiKey;
        private HttpClient http;
        private RetryPolicy retry = RetryPolicy.standard();
        // 32 MiB: a PATCH then spans several S3 parts, so part uploads overlap reading (8 MiB chunks measured 0.74 of raw S3, 32 MiB 0.84).
        private int chunkBytes = 32 * 1024 * 1024;
        private boolean checksums = true;
        private Duration requestTimeout = Duration.ofMinutes(5);

        private Builder(URI apiUrl, String apiKey) {
            this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
            this.apiKey = apiKey;
        }

        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        public Builder retry(RetryPolicy policy) {
            this.retry = policy;
            return this;
        }

        /** Bytes per PATCH request (default 8 MiB): what a lost connection costs at most to send again. */
        public Builder chunkBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("chunkBytes must be positive");
            }
            this.chunkBytes = bytes;
            return this;
        }

        /** Whether every chunk carries an {@code Upload-Checksum} (default true): the server refuses a corrupted chunk. */
        public Builder checksums(boolean enabled) {
            this.checksums = enabled;
            return this;
        }

        /** Per request, including the upload of one chunk and the server's probe after the last one (default 5 minutes). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public IngestClient build() {
            return new IngestClient(this);
        }
    }
}
