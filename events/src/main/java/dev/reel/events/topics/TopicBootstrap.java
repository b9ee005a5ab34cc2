package dev.reel.events.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics that are missing and reports how existing ones differ from their specs. It never alters
 * or deletes a topic: changing partitions or retention of a live topic is an operator's decision.
 *
 * <p>Every topic gets the given replication factor and the {@code min.insync.replicas} that goes with it
 * ({@link #minInsyncReplicas(int)}). Safe to run again and by several processes at once.
 */
public final class TopicBootstrap {

    /** How long each Admin call may take unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);

    private final Admin admin;
    private final int replicationFactor;
    private final Duration timeout;

    /**
     * @param admin             the Admin client to use; the caller owns it
     * @param replicationFactor the replication factor of every topic, e.g. 3 in production, 1 on one broker
     */
    public TopicBootstrap(Admin admin, int replicationFactor) {
        this(admin, replicationFactor, DEFAULT_TIMEOUT);
    }

    /**
     * @param admin             the Admin client to use; the caller owns it
     * @param replicationFactor the replication factor of every topic
     * @param timeout           how long each Admin call may take
     */
    public TopicBootstrap(Admin admin, int replicationFactor, Duration timeout) {
        if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replicationFactor must be between 1 and " + Short.MAX_VALUE
                    + ", was " + replicationFactor);
        }
        this.admin = Objects.requireNonNull(admin, "admin");
        this.replicationFactor = replicationFactor;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * The {@code min.insync.replicas} for a replication factor: 2 from 3 replicas up, so an {@code acks=all}
     * write survives losing one broker and still refuses to land on a single copy; else 1, the most there is.
     */
    public static int minInsyncReplicas(int replicationFactor) {
        return replicationFactor >= 3 ? 2 : 1;
    }

    /**
     * Creates the missing topics and compares the existing ones with their specs.
     *
     * @param specs the topics, e.g. {@link Topics#all()}
     * @return what was created, what is as specified, and the drift
     * @throws KafkaException     if an Admin call fails or times out
     * @throws InterruptException if interrupted while waiting for the cluster
     */
    public BootstrapReport ensure(Collection<TopicSpec> specs) {
        List<TopicSpec> expected = specs.stream().map(this::withMinInsyncReplicas).toList();
        Set<String> existing = await(admin.listTopics(new ListTopicsOptions().listInternal(false)).names(), "list topics");

        List<String> created = new ArrayList<>();
        List<TopicSpec> toCompare = new ArrayList<>();
        for (TopicSpec spec : expected) {
            // create() is false when a racing process created the topic first: then it is compared like any other.
            if (!existing.contains(spec.name()) && create(spec)) {
                created.add(spec.name());
            } else {
                toCompare.add(spec);
            }
        }

        List<String> unchanged = new ArrayList<>();
        List<Drift> drift = new ArrayList<>();
        Map<String, TopicState> states = describe(toCompare.stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : toCompare) {
            List<Drift> topicDrift = states.get(spec.name()).driftFrom(spec, replicationFactor);
            if (topicDrift.isEmpty()) {
                unchanged.add(spec.name());
            }
            topicDrift.forEach(d -> log.warn("Topic {} drifted: {} is {}, expected {} (left as is)",
                    d.topic(), d.property(), d.actual(), d.expected()));
            drift.addAll(topicDrift);
        }
        return new BootstrapReport(created, unchanged, drift);
    }

    private TopicSpec withMinInsyncReplicas(TopicSpec spec) {
        String minInsyncReplicas = Integer.toString(minInsyncReplicas(replicationFactor));
        return spec.withConfig(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsyncReplicas);
    }

    /** Creates a topic; {@code false} if another process created it first. */
    private boolean create(TopicSpec spec) {
        NewTopic topic = new NewTopic(spec.name(), spec.partitions(), (short) replicationFactor).configs(spec.configs());
        try {
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw failed("create topic " + spec.name(), e.getCause());
        } catch (TimeoutException e) {
            throw failed("create topic " + spec.name() + " within " + timeout, e);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
        log.info("Created topic {} with {} partitions, replication factor {}, configs {}",
                spec.name(), spec.partitions(), replicationFactor, spec.configs());
        return true;
    }

    private Map<String, TopicState> describe(List<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> descriptions = awaitPropagated(() -> admin.describeTopics(names).allTopicNames(),
                "describe topics " + names);
        List<ConfigResource> resources = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<ConfigResource, Config> configs = awaitPropagated(() -> admin.describeConfigs(resources).all(),
                "describe configs of " + names);
        return resources.stream().collect(Collectors.toMap(ConfigResource::name,
                resource -> TopicState.of(descriptions.get(resource.name()), configs.get(resource))));
    }

    /**
     * Awaits a call about topics that exist, retrying while a broker does not know them yet: a topic just
     * created (here or by a racing process) reaches every broker's metadata a moment after its creation.
     */
    private <T> T awaitPropagated(Supplier<KafkaFuture<T>> call, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long backoffMillis = 50;; backoffMillis = Math.min(2 * backoffMillis, 1_000)) {
            try {
                return await(call.get(), what);
            } catch (KafkaException e) {
                boolean notYetKnown = e.getCause() instanceof UnknownTopicOrPartitionException;
                if (!notYetKnown || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis) > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            }
        }
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failed(what, e.getCause());
        } catch (TimeoutException e) {
            throw failed(what + " within " + timeout, e);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    private KafkaException failed(String what, Throwable cause) {
        return new KafkaException("Topic bootstrap could not " + what + ": " + cause, cause);
    }
}
