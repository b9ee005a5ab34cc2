package dev.reel.transcoder.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.TranscodeProgress;
import dev.reel.events.publish.EventWriter;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.transcoder.ffmpeg.Progress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    @Test
    void sendsAtMostOneProgressEventPerSecond() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        AtomicLong now = new AtomicLong(0);
        EventWriter events = new EventWriter(producer, "transcoder/t", Duration.ofSeconds(30));
        ProgressReporter reporter = new ProgressReporter(events, "video-1", "w1", 10, now::get);

        reporter.accept(new Progress(1, 2.0, false)); // t = 0: sent
        now.set(400_000_000L);
        reporter.accept(new Progress(2, 2.0, false)); // 0.4 s later: dropped
        now.set(1_000_000_000L);
        reporter.accept(new Progress(5, 2.5, false)); // 1 s after the last one: sent
        now.set(3_000_000_000L);
        reporter.accept(new Progress(10, 2.5, true)); // the end: told by other events

        assertThat(producer.history()).hasSize(2);
        TranscodeProgress second = (TranscodeProgress) new EventDeserializer()
                .deserialize("reel.transcode", producer.history().get(1).value()).data();
        assertThat(second.percent()).isEqualTo(50.0);
        assertThat(second.speed()).isEqualTo(2.5);
        assertThat(producer.history()).allMatch(r -> r.topic().equals("reel.transcode") && new String(r.key()).equals("video-1"));
        assertThat(reporter.latest().ended()).isTrue();
    }
}
