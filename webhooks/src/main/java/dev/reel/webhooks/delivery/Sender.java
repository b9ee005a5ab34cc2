package dev.reel.webhooks.delivery;

import dev.reel.webhooks.signing.Secrets;
import dev.reel.webhooks.signing.Signatures;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Makes one attempt: POSTs the event's CloudEvents JSON ({@code application/cloudevents+json}) with the Standard
 * Webhooks headers, and says how it went. Any 2xx is a success; a redirect is not followed (it could point anywhere)
 * and counts as a failure, like any other status, no answer within the timeout, or a refused address. The client's
 * resolver is the {@link dev.reel.webhooks.net.GuardedResolver}.
 */
public final class Sender {

    public static final String CONTENT_TYPE = "application/cloudevents+json";
    private static final int MAX_ERROR = 300;

    private final HttpClient client;
    private final Duration timeout;

    /** @param client started, with redirects off and the guarded resolver */
    public Sender(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * @param signingKeys the HMAC keys of the endpoint's valid secrets, current first
     */
    public AttemptResult send(String url, String eventId, String payload, List<byte[]> signingKeys, Instant now)
            throws InterruptedException {
        long started = System.nanoTime();
        long timestamp = now.getEpochSecond();
        byte[] body = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            ContentResponse response = client.newRequest(URI.create(url)).method(HttpMethod.POST)
                    .headers(h -> h.put(Signatures.ID, eventId).put(Signatures.TIMESTAMP, Long.toString(timestamp))
                            .put(Signatures.SIGNATURE, Signatures.header(signingKeys, eventId, timestamp, body))
                            .put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE))
                    .body(new StringRequestContent(CONTENT_TYPE, payload))
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .send();
            int status = response.getStatus();
            return new AttemptResult(status, HttpStatus.isSuccess(status) ? null : "HTTP " + status, elapsed(started));
        } catch (ExecutionException e) {
            return new AttemptResult(0, describe(e.getCause() == null ? e : e.getCause()), elapsed(started));
        } catch (TimeoutException e) {
            return new AttemptResult(0, "no answer within " + timeout, elapsed(started));
        } catch (IllegalArgumentException e) {
            return new AttemptResult(0, describe(e), elapsed(started));
        }
    }

    /** The signing keys of sealed secrets. */
    public static List<byte[]> keys(Secrets secrets, String endpointId, List<String> sealed) {
        return sealed.stream().map(s -> Secrets.signingKey(secrets.open(endpointId, s))).toList();
    }

    private static String describe(Throwable failure) {
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR) + "...";
    }

    private static long elapsed(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
