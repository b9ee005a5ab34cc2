package dev.reel.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/** Clients on virtual threads that go on until closed, counting their requests in one {@link LoadStats}. */
abstract class ClientLoad implements AutoCloseable {

    protected final FrontDoor front;
    protected final LoadStats stats = new LoadStats();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Duration patience;

    /** @param patience how long one request may be retried, so how long closing may wait for it */
    protected ClientLoad(FrontDoor front, Duration patience) {
        this.front = front;
        this.patience = patience;
    }

    protected final void startClients(String name, int clients, IntFunction<Runnable> client) {
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofVirtual().name(name + "-" + i).start(client.apply(i)));
        }
    }

    protected final boolean running() {
        return running.get();
    }

    /** One request, retried with this load's patience; the body on success, null when it never succeeded. */
    protected final byte[] fetch(String path) throws InterruptedException {
        FrontDoor.Outcome outcome = front.getPatiently(path, patience);
        return stats.record(path, outcome) ? outcome.response().body() : null;
    }

    LoadStats stats() {
        return stats;
    }

    /** Stops the clients; a request in flight finishes first. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(patience.plusSeconds(30));
        }
    }
}
