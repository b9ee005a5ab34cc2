package dev.reel.analytics.query;

import dev.reel.analytics.metrics.Granularity;
import dev.reel.events.topics.Topics;
import dev.reel.service.http.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scatter-gather: the figures of every {@code reel.playback} partition, from this instance's stores and from every other
 * instance's internal endpoint ({@value #PARTIALS_PATH}), asked in parallel. The answer is complete or an error: every
 * partition must be covered by exactly the instances asked, else 503 with {@code Retry-After} (partitions are moving
 * between instances, or one does not answer), never a silently partial sum.
 */
public final class Gatherer {

    /** The internal endpoint each instance answers for its own partitions. */
    public static final String PARTIALS_PATH = "/api/analytics/internal/partials";
    /** Sent on a call between instances. */
    public static final String PEER_HEADER = "Reel-Peer";

    private static final Logger log = LoggerFactory.getLogger(Gatherer.class);

    private final KafkaStreams streams;
    private final LocalFigures local;
    private final HostInfo self;
    private final HttpClient http;
    private final Duration timeout;
    private final int partitionCount;
    private final Counter peerFailures;

    public Gatherer(KafkaStreams streams, LocalFigures local, HostInfo self, Duration timeout, MeterRegistry registry) {
        this(streams, local, self, timeout, Topics.all().stream().filter(t -> t.name().equals(Topics.PLAYBACK)).findFirst()
                .orElseThrow().partitions(), registry);
    }

    Gatherer(KafkaStreams streams, LocalFigures local, HostInfo self, Duration timeout, int partitionCount,
            MeterRegistry registry) {
        this.streams = streams;
        this.local = local;
        this.self = self;
        this.timeout = timeout;
        this.partitionCount = partitionCount;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.peerFailures = Counter.builder("reel.analytics.peer.failures")
                .description("parts of a scatter-gather another instance did not answer").register(registry);
    }

    /** Every partition's buckets of {@code keyOrPrefix} from {@code from} to {@code to}. */
    public List<Partials> gather(Granularity granularity, String keyOrPrefix, boolean exact, long from, long to) {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw unavailable("analytics is " + state);
        }
        String query = PARTIALS_PATH + "?granularity=" + granularity.name().toLowerCase(java.util.Locale.ROOT)
                + "&from=" + from + "&to=" + to + "&" + (exact ? "key=" : "prefix=")
                + URLEncoder.encode(keyOrPrefix, StandardCharsets.UTF_8);
        List<CompletableFuture<Partials>> parts = new ArrayList<>();
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            if (!instance.stateStoreNames().contains(granularity.storeName())) {
                continue;
            }
            if (instance.hostInfo().equals(self)) {
                parts.add(CompletableFuture.completedFuture(readLocal(granularity, keyOrPrefix, exact, from, to)));
            } else {
                parts.add(ask(instance.hostInfo(), query));
            }
        }
        List<Partials> gathered = new ArrayList<>();
        for (CompletableFuture<Partials> part : parts) {
            try {
                gathered.add(part.get());
            } catch (ExecutionException e) {
                peerFailures.increment();
                log.warn("scatter-gather {} failed: {}", query, e.getCause().toString());
                throw unavailable("an analytics instance did not answer");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted");
            }
        }
        requireEveryPartitionOnce(gathered);
        return gathered;
    }

    /** This instance's part, or 503 while one of its stores is restoring or migrating. */
    public Partials readLocal(Granularity granularity, String keyOrPrefix, boolean exact, long from, long to) {
        try {
            return local.read(granularity, keyOrPrefix, exact, from, to);
        } catch (InvalidStateStoreException e) {
            throw unavailable("a partition of this instance is restoring or migrating");
        }
    }

    private CompletableFuture<Partials> ask(HostInfo peer, String query) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + peer.host() + ":" + peer.port() + query))
                .header(PEER_HEADER, self.host() + ":" + self.port()).timeout(timeout).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != HttpStatus.OK_200) {
                throw new IllegalStateException(peer + " answered " + response.statusCode());
            }
            try {
                return Partials.fromJson(response.body());
            } catch (IOException e) {
                throw new IllegalStateException(peer + " answered something unreadable", e);
            }
        });
    }

    private void requireEveryPartitionOnce(List<Partials> gathered) {
        Set<Integer> covered = new TreeSet<>();
        int total = 0;
        for (Partials part : gathered) {
            covered.addAll(part.partitions());
            total += part.partitions().size();
        }
        if (covered.size() != partitionCount || total != partitionCount) {
            throw unavailable("partitions are moving between instances (" + covered.size() + " of " + partitionCount
                    + " answered" + (total > covered.size() ? ", some twice" : "") + ")");
        }
    }

    static ApiException unavailable(String reason) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503, reason + "; try again");
    }
}
