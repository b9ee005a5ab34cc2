package dev.reel.analytics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.events.streams.DeadLetters;
import dev.reel.service.config.Env;
import dev.reel.service.config.InvalidConfigException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class AnalyticsConfigTest {

    @Test
    void defaultsGiveAnExactlyOnceInstanceWithOneStandbyOnItsOwnPort() {
        AnalyticsConfig config = AnalyticsConfig.from(new Env(Map.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "REEL_INSTANCE_ID", "analytics-a")));
        Properties props = config.streamsProperties();
        assertThat(props).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "reel-analytics")
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + AnalyticsConfig.DEFAULT_INTERNAL_PORT)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200L)
                .containsEntry(DeadLetters.SOURCE_CONFIG, "analytics-streams/analytics-a");
        assertThat(config.stateDir()).isEqualTo(Path.of("analytics-state", "analytics-" + AnalyticsConfig.DEFAULT_PORT));
        assertThat(config.queryRate()).isEqualTo(200);
        assertThat(config.tokenKey()).as("no token key: a private video opens with its owner's key only").isNull();
    }

    @Test
    void namesEveryBadSetting() {
        assertThatThrownBy(() -> AnalyticsConfig.from(new Env(Map.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "REEL_ANALYTICS_PORT", "0", "REEL_ANALYTICS_INTERNAL_PORT", "70000", "REEL_ANALYTICS_PROCESSING_GUARANTEE",
                "maybe",
                "REEL_ANALYTICS_SESSION_TIMEOUT", "1s", "REEL_ANALYTICS_REPLICATION_FACTOR", "0", "REEL_ANALYTICS_QUERY_RATE",
                "0", "REEL_PLAYBACK_TOKEN_KEY", "short", "REEL_ANALYTICS_COMMIT_INTERVAL", "6s"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContainingAll("REEL_ANALYTICS_PORT", "REEL_ANALYTICS_INTERNAL_PORT",
                        "REEL_ANALYTICS_PROCESSING_GUARANTEE",
                        "REEL_ANALYTICS_SESSION_TIMEOUT", "REEL_ANALYTICS_REPLICATION_FACTOR", "REEL_ANALYTICS_QUERY_RATE",
                        "REEL_PLAYBACK_TOKEN_KEY", "REEL_ANALYTICS_COMMIT_INTERVAL");
    }
}
