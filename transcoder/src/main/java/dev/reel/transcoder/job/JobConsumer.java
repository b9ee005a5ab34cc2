package dev.reel.transcoder.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes jobs from a Kafka share group and runs them on worker threads, renewing their acquisition locks while they
 * run.
 *
 * <p>Threading: a {@link ShareConsumer} is not thread-safe, so one thread owns it and does every poll,
 * acknowledgement and commit; jobs run on a pool of {@code concurrency} threads and only tell the consumer thread
 * that they ended. The consumer runs in explicit acknowledgement mode, {@code record_limit} acquisition with
 * {@code max.poll.records = concurrency}, so a worker never holds more jobs than it can run.
 *
 * <p>Each poll returns the new records and the held ones whose lock was renewed. Every record a poll returned must
 * be acknowledged before the next poll: the consumer thread waits until a job ends or a third of the lock has
 * passed, then answers each record with the job's verdict ({@code ACCEPT}, {@code RELEASE}, {@code REJECT}) or, while
 * it still runs, {@code RENEW} (KIP-1222), and commits. A job that outlives the lock therefore keeps its record; a
 * worker that dies stops renewing, and the broker hands the record to another worker when its lock runs out (or
 * at once, when the broker sees the connection drop).
 *
 * <p>{@link #close()}: stop taking jobs (records that arrive are released at once), let running jobs finish for
 * the grace period, then interrupt them (their records are released to other workers), commit, close.
 */
public final class JobConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobConsumer.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration BUSY_POLL = Duration.ofMillis(200);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_STALE_AFTER = Duration.ofSeconds(60);

    private final ShareConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final JobProcessor processor;
    private final int concurrency;
    private final Duration lockDuration;
    private final Duration shutdownGrace;
    private final ExecutorService workers;
    private final BlockingQueue<RecordId> ended = new LinkedBlockingQueue<>();
    private final Map<RecordId, Held> held = new HashMap<>(); // consumer thread only
    private final AtomicInteger running = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long lastPollNanos = System.nanoTime();
    private boolean lockReported; // consumer thread only

    /** Where a record is: the same record comes back from the broker as a new object after each renewal. */
    private record RecordId(String topic, int partition, long offset) {
        static RecordId of(ConsumerRecord<?, ?> record) {
            return new RecordId(record.topic(), record.partition(), record.offset());
        }
    }

    /** A record this worker holds, and its job once it started. */
    private static final class Held {
        final ConsumerRecord<byte[], byte[]> record;
        Future<AcknowledgeType> job; // null while the record waits for a free slot
        long lastReturnedNanos;

        Held(ConsumerRecord<byte[], byte[]> record, long now) {
            this.record = record;
            this.lastReturnedNanos = now;
        }

        boolean running() {
            return job != null && !job.isDone();
        }

        boolean ended() {
            return job != null && job.isDone();
        }
    }

    /**
     * @param consumer      a share consumer in explicit acknowledgement mode; this object owns and closes it
     * @param lockDuration  the group's acquisition lock, used until the consumer reports the broker's value
     */
    public JobConsumer(ShareConsumer<byte[], byte[]> consumer, String topic, JobProcessor processor, int concurrency,
            Duration lockDuration, Duration shutdownGrace, String name) {
        this.consumer = consumer;
        this.topic = topic;
        this.processor = processor;
        this.concurrency = concurrency;
        this.lockDuration = lockDuration;
        this.shutdownGrace = shutdownGrace;
        this.workers = Executors.newFixedThreadPool(concurrency, Thread.ofPlatform().name(name + "-job-", 1).factory());
        this.thread = Thread.ofPlatform().name(name + "-consumer").unstarted(this::run);
    }

    public JobConsumer start() {
        thread.start();
        return this;
    }

    /** For /readyz: the consumer thread polls, and the worker is not shutting down. */
    public boolean isTakingJobs() {
        return thread.isAlive() && !stopping && System.nanoTime() - lastPollNanos < POLL_STALE_AFTER.toNanos();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            long stopDeadline = Long.MAX_VALUE;
            boolean interrupted = false;
            while (!(stopping && held.isEmpty())) {
                if (stopping && stopDeadline == Long.MAX_VALUE) {
                    stopDeadline = System.nanoTime() + shutdownGrace.toNanos();
                    log.info("stopping: taking no new jobs; {} running get {} to finish", running.get(), shutdownGrace);
                }
                if (!interrupted && System.nanoTime() > stopDeadline) {
                    interrupted = true;
                    log.warn("shutdown grace over: stopping {} running job(s), their uploads go back to the group",
                            running.get());
                    held.values().stream().filter(Held::running).forEach(h -> h.job.cancel(true));
                }
                cycle();
            }
        } catch (RuntimeException e) {
            log.error("job consumer failed: {}", e.toString(), e);
        } finally {
            held.values().stream().filter(Held::running).forEach(h -> h.job.cancel(true));
            workers.shutdownNow();
            try {
                consumer.close(COMMIT_TIMEOUT); // commits pending acknowledgements, releases anything still acquired
            } catch (RuntimeException e) {
                log.warn("closing the share consumer: {}", e.toString());
            }
        }
    }

    /** One poll, and an answer for every record it returned. */
    private void cycle() {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(held.isEmpty() ? IDLE_POLL : BUSY_POLL);
        } catch (KafkaException e) {
            if (e.getCause() instanceof InterruptedException || e instanceof org.apache.kafka.common.errors.InterruptException) {
                throw e;
            }
            log.warn("poll failed, retrying: {}", e.toString());
            pause(IDLE_POLL);
            return;
        }
        long now = System.nanoTime();
        lastPollNanos = now;
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        Map<RecordId, AcknowledgeType> verdicts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            batch.add(record);
            RecordId id = RecordId.of(record);
            Held known = held.get(id);
            if (known != null) {
                known.lastReturnedNanos = now; // a renewed record, back from the broker
            } else if (stopping) {
                verdicts.put(id, AcknowledgeType.RELEASE); // not ours to run any more: another worker takes it now
            } else {
                held.put(id, new Held(record, now));
            }
        }
        startJobsInFreeSlots();
        if (batch.isEmpty()) {
            forgetLostLocks(now);
            return;
        }
        if (verdicts.size() < batch.size()) {
            awaitJobEndOrRenewal();
        }
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            RecordId id = RecordId.of(record);
            AcknowledgeType verdict = verdicts.containsKey(id) ? verdicts.get(id) : verdictOf(id);
            consumer.acknowledge(record, verdict);
        }
        commit();
    }

    /**
     * Starts waiting records while slots are free. record_limit acquisition keeps the records a worker holds to its
     * concurrency, but should the broker hand out one more, it waits here under renewal rather than being released:
     * a release would count as a delivery and could use up the upload's attempts without running it.
     */
    private void startJobsInFreeSlots() {
        long busy = held.values().stream().filter(Held::running).count();
        for (Map.Entry<RecordId, Held> entry : held.entrySet()) {
            Held h = entry.getValue();
            if (h.job == null && busy < concurrency && !stopping) {
                RecordId id = entry.getKey();
                h.job = workers.submit(() -> runJob(id, h.record));
                busy++;
            }
        }
    }

    private AcknowledgeType runJob(RecordId id, ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        running.incrementAndGet();
        try {
            return processor.process(record, record.deliveryCount().map(Short::intValue).orElse(1));
        } finally {
            running.decrementAndGet();
            ended.add(id);
        }
    }

    /** The final acknowledgement of a finished job (and forgets it), or RENEW while it runs or waits. */
    private AcknowledgeType verdictOf(RecordId id) {
        Held h = held.get(id);
        if (h.job == null && stopping) {
            held.remove(id);
            return AcknowledgeType.RELEASE;
        }
        if (!h.ended()) {
            return AcknowledgeType.RENEW;
        }
        held.remove(id);
        try {
            return h.job.get();
        } catch (CancellationException | InterruptedException e) {
            return AcknowledgeType.RELEASE;
        } catch (ExecutionException e) {
            log.error("job {} failed unexpectedly, releasing it: {}", id, e.getCause().toString(), e.getCause());
            return AcknowledgeType.RELEASE;
        }
    }

    /** Waits until some job ends or it is time to renew the locks (a third of the lock duration). */
    private void awaitJobEndOrRenewal() {
        if (stopping || held.values().stream().anyMatch(Held::ended)) {
            ended.clear();
            return;
        }
        long lockMs = consumer.acquisitionLockTimeoutMs().map(Integer::longValue).orElse(lockDuration.toMillis());
        if (!lockReported) {
            lockReported = true;
            log.info("acquisition lock {} ms: renewing every {} ms while a job runs", lockMs, lockMs / 3);
        }
        try {
            RecordId first = ended.poll(Math.max(100, lockMs / 3), TimeUnit.MILLISECONDS);
            if (first != null) {
                ended.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    private void commit() {
        try {
            Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync(COMMIT_TIMEOUT);
            results.forEach((partition, error) -> error
                    .ifPresent(e -> log.warn("acknowledgement on {} failed (lock lost? the job may run again elsewhere): {}",
                            partition, e.toString())));
        } catch (KafkaException e) {
            log.warn("committing acknowledgements failed: {}", e.toString());
        }
    }

    /**
     * A held record the broker has not returned for longer than the lock lost its lock (e.g. a renewal failed): the
     * broker gives it to another worker, and this one can no longer acknowledge it. Its job is left to finish (the
     * objects it writes are the same) but its result is not reported twice by this worker.
     */
    private void forgetLostLocks(long now) {
        long lockNanos = lockDuration.toNanos();
        for (Iterator<Map.Entry<RecordId, Held>> it = held.entrySet().iterator(); it.hasNext();) {
            Map.Entry<RecordId, Held> entry = it.next();
            if (now - entry.getValue().lastReturnedNanos > 2 * lockNanos) {
                log.warn("lost the lock of {}: the broker redelivers it", entry.getKey());
                it.remove();
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    /** Stops taking jobs, lets running ones finish or releases them after the grace period, and closes the consumer. */
    @Override
    public void close() {
        stopping = true;
        ended.add(new RecordId("", -1, -1)); // wakes a consumer thread waiting for a job to end
        try {
            thread.join(shutdownGrace.plus(COMMIT_TIMEOUT).plus(COMMIT_TIMEOUT));
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
