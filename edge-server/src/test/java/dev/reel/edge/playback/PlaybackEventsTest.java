package dev.reel.edge.playback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.SegmentServed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class PlaybackEventsTest {

    /** A port nothing listens on: a Kafka that is away from the start. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void closingWhileKafkaIsUnreachableDropsWhatIsBufferedInsteadOfWaitingOnEachEvent() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PlaybackEvents events = new PlaybackEvents(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 300), "edge/test", 100, registry);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            acks.add(events.publish(new SegmentServed("vidUnreach01", "edge-1", "1080p", "seg-00001.m4s", 100, true, 10)));
        }

        events.close();

        List<String> failures = acks.stream().map(ack -> {
            assertThat(ack).isCompletedExceptionally();
            return ack.handle((ok, error) -> error instanceof CompletionException c ? c.getCause() : error).join()
                    .getMessage();
        }).toList();
        // Before: every event waited out max.block in turn (20 x 300 ms here, the join's whole 15 s at the edge's 2 s).
        // Now only the events handed to the producer before close time out; the rest are dropped at once.
        assertThat(failures.stream().filter(m -> m.contains("dropped at shutdown")).count()).isGreaterThanOrEqualTo(15);
        assertThat(registry.get("reel.edge.playback.events.dropped").tag("reason", "send-failed").counter().count())
                .isEqualTo(20);
    }
}
