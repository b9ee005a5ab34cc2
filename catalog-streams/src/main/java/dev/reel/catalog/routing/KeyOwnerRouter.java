package dev.reel.catalog.routing;

import dev.reel.catalog.query.ApiResponse;
import dev.reel.catalog.topology.CatalogTopology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a query on the instance that owns the data: locally when this instance hosts the key's active
 * store, else by forwarding once to the owner that {@code queryMetadataForKey} names. While a partition moves
 * (rebalance, restore, a dead owner) it serves this instance's standby copy marked stale, or answers 503 with
 * {@code Retry-After} — never a 404 it cannot be sure of.
 */
public final class KeyOwnerRouter {

    private static final Logger log = LoggerFactory.getLogger(KeyOwnerRouter.class);
    private static final Serializer<String> KEYS = new StringSerializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String selfName;
    private final PeerClient peers;
    private final Counter forwardFailures;
    private final StandbyLags lags;

    /**
     * What a copy that is behind may say about a key it does not hold. For a record store, nothing: the key may just
     * not have reached it (a new video), so only a caught-up copy may answer "absent". For a counter store, "absent"
     * is a count of zero, no more stale than the lagging count it would give for a key it holds: it answers, marked
     * stale.
     */
    public enum Absence {
        NEEDS_CAUGHT_UP_COPY, IS_A_STALE_ZERO
    }

    /** Reads one key from one partition of a local store, the active one or (stale) a standby. */
    @FunctionalInterface
    public interface KeyRead<T> {
        Optional<T> read(int partition, boolean stale);
    }

    public KeyOwnerRouter(KafkaStreams streams, HostInfo self, PeerClient peers, StandbyLags lags, MeterRegistry registry) {
        this.streams = streams;
        this.lags = lags;
        this.self = self;
        this.selfName = self.host() + ":" + self.port();
        this.peers = peers;
        this.forwardFailures = Counter.builder("reel.catalog.forward.failures")
                .description("queries that could not be forwarded to the owner of their key")
                .register(registry);
    }

    /**
     * @param store        the store the key lives in
     * @param key          the video id
     * @param pathAndQuery the request to forward when another instance owns the key
     * @param forwarded    the request was already forwarded once: never forward again
     * @param read         the local read
     * @param answer       the answer to a local read; an empty value is the owner's authoritative "absent"
     */
    public <T> ApiResponse byKey(String store, Absence absence, String key, String pathAndQuery, boolean forwarded,
            KeyRead<T> read, Function<Optional<T>, ApiResponse> answer) {
        KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(store, key, KEYS);
        } catch (IllegalStateException | InvalidStateStoreException e) { // not started yet, or shutting down
            return ApiResponse.unavailable("the catalog is not running: " + e.getMessage());
        }
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner) || owner.activeHost() == null) {
            // A rebalance is under way and no instance is named: the key's partition is known all the same (the
            // default partitioner over its source topic), so a copy here, else another instance's, may answer.
            KeyQueryMetadata unknownOwner = new KeyQueryMetadata(HostInfo.unavailable(), Set.of(),
                    Utils.toPositive(Utils.murmur2(KEYS.serialize(store, key))) % CatalogTopology.partitionsOf(store));
            return standbyAnswer(store, absence, unknownOwner, read, answer)
                    .or(() -> forwarded ? Optional.empty() : fromAnotherCopy(store, pathAndQuery))
                    .orElseGet(() -> ApiResponse.unavailable("partitions are being assigned; try again"));
        }
        if (owner.activeHost().equals(self)) {
            try {
                return answer.apply(read.read(owner.partition(), false))
                        .withRoute(forwarded ? "owner" : "local")
                        .withHeader(ApiResponse.SERVED_BY_HEADER, selfName);
            } catch (InvalidStateStoreException e) {
                // Just restarted and restoring, say: a copy here, else another instance's (the one that was active a
                // moment ago keeps a standby), before "try again".
                return standbyAnswer(store, absence, owner, read, answer)
                        .or(() -> forwarded ? Optional.empty() : fromAnotherCopy(store, pathAndQuery))
                        .orElseGet(() -> ApiResponse.unavailable("the store of this key is restoring or migrating"));
            }
        }
        if (forwarded) {
            return standbyAnswer(store, absence, owner, read, answer)
                    .orElseGet(() -> ApiResponse.unavailable("the key's owner moved while the query was forwarded"));
        }
        try {
            ApiResponse fromOwner = peers.get(owner.activeHost(), pathAndQuery).get();
            // An owner that is still restoring its stores (e.g. just restarted) answers 503; a standby copy here
            // can answer meanwhile, marked stale.
            return fromOwner.status() == HttpStatus.SERVICE_UNAVAILABLE_503
                    ? standbyAnswer(store, absence, owner, read, answer).orElse(fromOwner)
                    : fromOwner;
        } catch (ExecutionException e) {
            forwardFailures.increment();
            log.warn("could not forward {} to {}: {}", pathAndQuery, owner.activeHost(), e.getCause().toString());
            return standbyAnswer(store, absence, owner, read, answer)
                    .orElseGet(() -> ApiResponse.unavailable("the owner of this key does not answer; try again"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiResponse.unavailable("interrupted");
        }
    }

    /**
     * The answer of another instance's copy (it answers a forwarded request from what it holds, never forwarding
     * again); empty when none can say.
     */
    private Optional<ApiResponse> fromAnotherCopy(String store, String pathAndQuery) {
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            if (instance.hostInfo().equals(self) || !instance.stateStoreNames().contains(store)
                    && instance.standbyStateStoreNames().stream().noneMatch(store::equals)) {
                continue;
            }
            try {
                ApiResponse answer = peers.get(instance.hostInfo(), pathAndQuery).get();
                if (answer.status() != HttpStatus.SERVICE_UNAVAILABLE_503) {
                    return Optional.of(answer.withRoute("other-copy"));
                }
            } catch (ExecutionException e) {
                log.debug("{} could not answer {}: {}", instance.hostInfo(), pathAndQuery, e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** This instance's standby (or restoring) copy of the key's partition, marked stale; empty when it cannot say. */
    private <T> Optional<ApiResponse> standbyAnswer(String store, Absence absence, KeyQueryMetadata owner, KeyRead<T> read,
            Function<Optional<T>, ApiResponse> answer) {
        try {
            Optional<T> value = read.read(owner.partition(), true);
            // A standby that lacks a record may just be behind: it may say "absent" only when it had read its changelog
            // partition to the end (else only the active may); a count it lacks is a stale zero like any lagging count.
            if (value.isPresent() || absence == Absence.IS_A_STALE_ZERO || lags.caughtUp(store, owner.partition())) {
                return Optional.of(answer.apply(value).stale().withHeader(ApiResponse.SERVED_BY_HEADER, selfName));
            }
        } catch (InvalidStateStoreException e) {
            // no copy of the partition here
        }
        return Optional.empty();
    }

    /**
     * Scatter-gather over every instance hosting active partitions of {@code store}: this one answers with
     * {@code local}, the others get {@code pathAndQuery}. Every instance must answer 200, or the merged answer
     * would silently miss partitions.
     *
     * @return one JSON body per instance
     * @throws PeerUnavailableException when an instance cannot answer
     */
    public List<byte[]> gather(String store, String pathAndQuery, Supplier<byte[]> local) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new PeerUnavailableException("the catalog is " + streams.state() + "; try again");
        }
        List<CompletableFuture<byte[]>> parts = new ArrayList<>();
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            if (!instance.stateStoreNames().contains(store)) {
                continue;
            }
            if (instance.hostInfo().equals(self)) {
                try {
                    parts.add(CompletableFuture.completedFuture(local.get()));
                } catch (InvalidStateStoreException e) {
                    throw new PeerUnavailableException("this instance's stores are migrating; try again");
                }
            } else {
                parts.add(peers.get(instance.hostInfo(), pathAndQuery).thenApply(response -> {
                    if (response.status() != HttpStatus.OK_200) {
                        throw new PeerUnavailableException(instance.hostInfo() + " answered " + response.status());
                    }
                    return response.body();
                }));
            }
        }
        List<byte[]> bodies = new ArrayList<>();
        for (CompletableFuture<byte[]> part : parts) {
            try {
                bodies.add(part.get());
            } catch (ExecutionException e) {
                forwardFailures.increment();
                log.warn("scatter-gather {} failed: {}", pathAndQuery, e.getCause().toString());
                throw new PeerUnavailableException("an instance did not answer; try again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PeerUnavailableException("interrupted");
            }
        }
        return bodies;
    }

    /** A scatter-gather could not reach every instance. */
    public static final class PeerUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PeerUnavailableException(String message) {
            super(message);
        }
    }
}
