package dev.reel.ingest.limits;

import dev.reel.service.http.ApiException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;

/**
 * How many uploads each API key's owner may start: a Bucket4j token bucket per owner holding {@code perHour} uploads,
 * refilled evenly over the hour, so a burst up to the limit passes and a steady stream beyond it gets 429 with the
 * seconds until the next upload fits in {@code Retry-After}. Per instance: the front door hashes the creation URIs
 * ({@code POST /api/uploads}, {@code POST /api/videos}) to one instance while it is up, so that instance's bucket is
 * the owner's. Owners are as many as the keys, so the map stays small.
 */
public final class UploadRate {

    private final int perHour;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public UploadRate(int perHour) {
        this.perHour = perHour;
    }

    /**
     * Takes one upload of {@code owner}'s allowance.
     *
     * @param responseHeaders where {@code Retry-After} goes when the allowance is spent
     * @throws ApiException 429 when the allowance is spent
     */
    public void take(String owner, HttpFields.Mutable responseHeaders) {
        ConsumptionProbe probe = buckets.computeIfAbsent(owner, o -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1;
            responseHeaders.put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS_429,
                    "this key may start " + perHour + " uploads an hour; the next one fits in " + seconds + " s");
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perHour).refillGreedy(perHour, Duration.ofHours(1)).build())
                .build();
    }

}
