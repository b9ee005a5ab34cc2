package dev.reel.catalog.config;

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

class CatalogConfigTest {

    @Test
    void defaultsGiveAnExactlyOnceInstanceWithOneStandby() {
        CatalogConfig config = CatalogConfig.from(new Env(Map.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "REEL_INSTANCE_ID", "catalog-a")));
        Properties props = StreamsSettings.of(config);
        assertThat(props).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "reel-catalog")
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + CatalogConfig.DEFAULT_INTERNAL_PORT)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1)
                .containsEntry(DeadLetters.SOURCE_CONFIG, "catalog-streams/catalog-a");
        assertThat(config.stateDir()).isEqualTo(Path.of("catalog-state", "catalog-" + CatalogConfig.DEFAULT_PORT));
    }

    @Test
    void applicationServerIsTheInternalPortAndThePublicPortIsAnother() {
        CatalogConfig config = CatalogConfig.from(new Env(Map.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "REEL_CATALOG_PORT", "9191", "REEL_CATALOG_INTERNAL_PORT", "9291", "REEL_CATALOG_ADVERTISED_HOST",
                "catalog-2.internal")));
        assertThat(StreamsSettings.of(config)).containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "catalog-2.internal:9291");
        assertThat(config.publicPort()).isEqualTo(9191);
        assertThat(config.stateDir()).isEqualTo(Path.of("catalog-state", "catalog-9191"));
    }

    @Test
    void defaultPortsAreNotIngests() {
        CatalogConfig config = CatalogConfig.from(new Env(Map.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "k:9092")));
        assertThat(config.publicPort()).isEqualTo(8100).isNotEqualTo(8090); // 8090 is ingest's
        assertThat(config.advertised().port()).isEqualTo(8150);
        assertThatThrownBy(() -> CatalogConfig.from(new Env(Map.of("REEL_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "REEL_CATALOG_PORT", "9000", "REEL_CATALOG_INTERNAL_PORT", "9000"))))
                .hasMessageContaining("REEL_CATALOG_INTERNAL_PORT must differ");
    }

    @Test
    void namesEveryBadSetting() {
        assertThatThrownBy(() -> CatalogConfig.from(new Env(Map.of(
                "REEL_CATALOG_PORT", "0",
                "REEL_CATALOG_PROCESSING_GUARANTEE", "sometimes",
                "REEL_CATALOG_SESSION_TIMEOUT", "1s"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("REEL_KAFKA_BOOTSTRAP_SERVERS")
                .hasMessageContaining("REEL_CATALOG_PORT")
                .hasMessageContaining("REEL_CATALOG_PROCESSING_GUARANTEE")
                .hasMessageContaining("REEL_CATALOG_SESSION_TIMEOUT");
    }
}
