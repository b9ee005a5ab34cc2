package dev.reel.transcoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.service.config.Env;
import dev.reel.service.config.InvalidConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TranscoderConfigTest {

    private static final Map<String, String> REQUIRED = Map.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
            "REEL_S3_ENDPOINT", "http://127.0.0.1:9000", "REEL_S3_ACCESS_KEY", "a", "REEL_S3_SECRET_KEY", "b");

    @Test
    void defaults() {
        TranscoderConfig config = TranscoderConfig.from(new Env(REQUIRED));
        assertThat(config.concurrency()).isEqualTo(1);
        assertThat(config.maxAttempts()).isEqualTo(3);
        assertThat(config.lockDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.port()).isEqualTo(8070);
        assertThat(config.groupId()).isEqualTo("reel-transcoder");
        assertThat(config.encoder().preset()).isEqualTo("veryfast");
        assertThat(config.encoder().segmentSeconds()).isEqualTo(4);
        assertThat(config.leadSegments()).isEqualTo(2);
        assertThat(config.instanceId()).startsWith("transcoder-");
        assertThat(config.eventSource()).isEqualTo("transcoder/" + config.instanceId());
        assertThat(config.intakeConcurrency()).isEqualTo(1);
        assertThat(config.planning().chunkSeconds()).isEqualTo(8);
        assertThat(config.planning().splitMinSeconds()).isEqualTo(16);
        assertThat(config.planning().lowestFirstSeconds()).isEqualTo(120);
        assertThat(config.planning().passthrough().maxSegmentSeconds()).isEqualTo(10);
        assertThat(config.encoder().nice()).isEqualTo(10);
        assertThat(config.assemblerSession()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.assemblerId()).isEqualTo("reel-transcoder-assembler");
        assertThat(TranscoderConfig.from(new Env(with("REEL_TRANSCODER_PASSTHROUGH", "false"))).planning().passthrough())
                .as("passthrough turned off").isNull();
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = new java.util.HashMap<>(REQUIRED);
        env.put(name, value);
        return env;
    }

    @Test
    void listsEveryProblemAtOnce() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("REEL_TRANSCODER_LOCK_DURATION", "5s",
                "REEL_TRANSCODER_PRESET", "instant", "REEL_TRANSCODER_MAX_ATTEMPTS", "9", "REEL_TRANSCODER_NICE", "20",
                "REEL_TRANSCODER_ASSEMBLER_SESSION_TIMEOUT", "2s", "REEL_TRANSCODER_REPLICATION_FACTOR", "0"));
        assertThatThrownBy(() -> TranscoderConfig.from(new Env(env)))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems()).hasSize(10))
                .hasMessageContaining("REEL_TRANSCODER_LOCK_DURATION").hasMessageContaining("REEL_TRANSCODER_PRESET")
                .hasMessageContaining("REEL_TRANSCODER_MAX_ATTEMPTS").hasMessageContaining("REEL_KAFKA_BOOTSTRAP_SERVERS")
                .hasMessageContaining("REEL_TRANSCODER_NICE").hasMessageContaining("REEL_TRANSCODER_ASSEMBLER_SESSION_TIMEOUT")
                .hasMessageContaining("REEL_TRANSCODER_REPLICATION_FACTOR");
    }
}
