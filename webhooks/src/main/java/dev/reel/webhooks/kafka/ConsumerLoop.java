package dev.reel.webhooks.kafka;

import dev.reel.webhooks.endpoints.EndpointRegistry;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that owns a consumer: it waits until every endpoint is known (an event or a delivery is only judged against
 * all of them), subscribes, then polls until {@link #close()}, which wakes the consumer and closes it on that thread.
 * The fan-out and the delivery worker are such loops; each says how it subscribes and what one poll does.
 */
public abstract class ConsumerLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    protected final KafkaConsumer<String, byte[]> consumer;
    private final EndpointRegistry registry;
    private final String name;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean polling;

    protected ConsumerLoop(String name, KafkaConsumer<String, byte[]> consumer, EndpointRegistry registry) {
        this.name = name;
        this.consumer = consumer;
        this.registry = registry;
        this.thread = new Thread(this::run, name);
    }

    /** Subscribes the consumer, once every endpoint is known. */
    protected abstract void subscribe();

    /** One poll and what follows it. */
    protected abstract void pollOnce() throws InterruptedException;

    public void start() {
        thread.start();
    }

    /** Whether the loop is polling. */
    public boolean isPolling() {
        return polling;
    }

    private void run() {
        try {
            while (running && !registry.isCaughtUp()) {
                Thread.sleep(100);
            }
            subscribe();
            while (running) {
                polling = true;
                pollOnce();
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{} stopped", name, e);
        } finally {
            polling = false;
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        }
    }

    /** Stops polling and waits for the loop to close its consumer. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
