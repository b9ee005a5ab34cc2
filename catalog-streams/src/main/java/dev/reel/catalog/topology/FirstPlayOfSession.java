package dev.reel.catalog.topology;

import dev.reel.events.Envelope;
import dev.reel.events.PlaybackStarted;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Passes on the first {@code playback.started} of a playback session and drops the others within
 * {@link #SESSION_MEMORY}: a player or HAProxy retrying the master playlist (an edge that died after Kafka took the
 * view but before it answered) sends the same session again, and that is still one view.
 */
final class FirstPlayOfSession implements FixedKeyProcessor<String, Envelope<?>, Envelope<?>> {

    /** How long a session is remembered; retries come within seconds. */
    static final Duration SESSION_MEMORY = Duration.ofHours(1);

    private FixedKeyProcessorContext<String, Envelope<?>> context;
    private WindowStore<String, Long> seen;

    @Override
    public void init(FixedKeyProcessorContext<String, Envelope<?>> context) {
        this.context = context;
        this.seen = context.getStateStore(CatalogTopology.VIEW_SESSIONS_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, Envelope<?>> record) {
        if (!(record.value().data() instanceof PlaybackStarted started)) {
            return;
        }
        String session = started.videoId() + "/" + started.sessionId();
        long time = record.timestamp();
        Instant from = Instant.ofEpochMilli(Math.max(0, time - SESSION_MEMORY.toMillis()));
        try (WindowStoreIterator<Long> earlier = seen.fetch(session, from,
                Instant.ofEpochMilli(time + SESSION_MEMORY.toMillis()))) {
            if (earlier.hasNext()) {
                return;
            }
        }
        seen.put(session, time, time);
        context.forward(record);
    }
}
