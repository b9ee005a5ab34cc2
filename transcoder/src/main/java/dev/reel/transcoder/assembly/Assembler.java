package dev.reel.transcoder.assembly;

import dev.reel.service.storage.ObjectStorage;
import dev.reel.transcoder.ops.TranscoderMetrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running assembler: the {@link AssemblerTopology} in a {@link KafkaStreams} instance. Every worker runs one; the
 * instances of a fleet share the application id, so each video is assembled by one of them, and a dead instance's
 * videos move to another after the session timeout, which restores their state from the changelog and goes on.
 */
public final class Assembler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Assembler.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;

    private Assembler(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Starts the assembler with {@code settings} (application id, bootstrap servers, state dir, exactly-once ...). */
    public static Assembler start(Properties settings, Assembly assembly, ObjectStorage storage, TranscoderMetrics metrics,
            String source) {
        KafkaStreams streams = new KafkaStreams(AssemblerTopology.build(assembly, storage, metrics, source), settings);
        // a storage call that failed past its retries, or Kafka trouble: start the thread again, which reprocesses from
        // the last commit (nothing it did is lost or done twice under exactly-once)
        streams.setUncaughtExceptionHandler(e -> {
            log.warn("assembler thread failed, replacing it: {}", e.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return new Assembler(streams);
    }

    /** For /readyz: the assembler runs (or rebalances, as it does whenever a worker joins or leaves). */
    public boolean isRunning() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
    }
}
