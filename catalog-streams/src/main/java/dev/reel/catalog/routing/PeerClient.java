package dev.reel.catalog.routing;

import dev.reel.catalog.query.ApiResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * HTTP calls to other catalog instances: a query forwarded to the owner of its key, or one part of a
 * scatter-gather. Every call carries {@value #FORWARDED_HEADER}, so the receiver never forwards it again.
 */
public final class PeerClient implements AutoCloseable {

    /** Set on a request that was forwarded once; its receiver answers from what it holds or with 503. */
    public static final String FORWARDED_HEADER = "Reel-Forwarded-By";
    // A catalog answer is small; a peer sending more is misbehaving.
    private static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

    private final HttpClient client;
    private final String self;
    private final Duration timeout;

    public PeerClient(HostInfo self, Duration timeout) throws Exception {
        this.self = self.host() + ":" + self.port();
        this.timeout = timeout;
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("catalog-peers");
        this.client = new HttpClient();
        client.setExecutor(threads);
        client.setConnectTimeout(timeout.toMillis());
        client.setMaxConnectionsPerDestination(64);
        client.start();
    }

    /**
     * GETs {@code pathAndQuery} from {@code peer}. The future fails on a connection error or timeout; any HTTP
     * status (including 503) is an answer.
     */
    public CompletableFuture<ApiResponse> get(HostInfo peer, String pathAndQuery) {
        Request request = client.newRequest("http://" + peer.host() + ":" + peer.port() + pathAndQuery)
                .headers(h -> h.put(FORWARDED_HEADER, self))
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return new CompletableResponseListener(request, MAX_RESPONSE_BYTES).send().thenApply(PeerClient::toApiResponse);
    }

    private static ApiResponse toApiResponse(ContentResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        String retryAfter = response.getHeaders().get(HttpHeader.RETRY_AFTER);
        if (retryAfter != null) {
            headers.put(HttpHeader.RETRY_AFTER.asString(), retryAfter);
        }
        for (String passed : new String[]{ApiResponse.STALE_HEADER, ApiResponse.SERVED_BY_HEADER}) {
            String value = response.getHeaders().get(passed);
            if (value != null) {
                headers.put(passed, value);
            }
        }
        return new ApiResponse(response.getStatus(), response.getContent(), headers, "forwarded");
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
