package dev.reel.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.edge.cache.CachePolicy;
import dev.reel.service.config.Env;
import dev.reel.service.config.InvalidConfigException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("REEL_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        env.put("REEL_S3_ENDPOINT", "http://127.0.0.1:9000");
        env.put("REEL_S3_ACCESS_KEY", "a");
        env.put("REEL_S3_SECRET_KEY", "s");
        return env;
    }

    @Test
    void defaults() {
        Map<String, String> env = minimal();
        env.put("REEL_INSTANCE_ID", "edge-host-1");
        EdgeConfig config = EdgeConfig.from(new Env(env));
        assertThat(config.instanceId()).isEqualTo("edge-host-1");
        assertThat(config.source()).isEqualTo("edge/edge-host-1");
        assertThat(config.bindHost()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8081);
        assertThat(config.cachePolicy()).isEqualTo(CachePolicy.TINY_LFU);
        assertThat(config.cacheMaxBytes()).isEqualTo((long) (Runtime.getRuntime().maxMemory() * 0.4));
        assertThat(config.transcodingTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.tokenKey()).isNull();
    }

    @Test
    void lruAndAFixedBudgetBySetting() {
        Map<String, String> env = minimal();
        env.put("REEL_EDGE_CACHE_POLICY", "LRU");
        env.put("REEL_EDGE_CACHE_MAX_BYTES", "104857600");
        EdgeConfig config = EdgeConfig.from(new Env(env));
        assertThat(config.cachePolicy()).isEqualTo(CachePolicy.LRU);
        assertThat(config.cacheMaxBytes()).isEqualTo(100L << 20);
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        Map<String, String> env = new HashMap<>();
        env.put("REEL_EDGE_CACHE_POLICY", "fifo");
        env.put("REEL_PLAYBACK_TOKEN_KEY", "short");
        env.put("REEL_EDGE_PORT", "70000");
        assertThatThrownBy(() -> EdgeConfig.from(new Env(env))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("REEL_EDGE_CACHE_POLICY").hasMessageContaining("REEL_PLAYBACK_TOKEN_KEY")
                .hasMessageContaining("REEL_EDGE_PORT").hasMessageContaining("REEL_KAFKA_BOOTSTRAP_SERVERS");
    }
}
