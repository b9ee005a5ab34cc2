package dev.reel.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void defaultsApplyWhenUnsetOrBlank() {
        Env env = new Env(Map.of("BLANK", "  "));
        assertThat(env.string("BLANK", "d")).isEqualTo("d");
        assertThat(env.integer("UNSET", 8080, 1, 65535)).isEqualTo(8080);
        assertThat(env.duration("UNSET", Duration.ofSeconds(3))).hasSeconds(3);
        assertThat(env.list("UNSET", List.of("a"))).containsExactly("a");
        env.validate();
    }

    @Test
    void parsesEveryKind() {
        Env env = new Env(Map.of("PORT", "9090", "TIMEOUT", "750ms", "ISO", "PT2M", "DAYS", "7d", "ON", "yes",
                "KEYS", "a, b,,c", "MODE", "LRU", "URL", "http://127.0.0.1:9000", "RATIO", "0.25"));
        assertThat(env.integer("PORT", 1, 1, 65535)).isEqualTo(9090);
        assertThat(env.duration("TIMEOUT", Duration.ZERO)).isEqualTo(Duration.ofMillis(750));
        assertThat(env.duration("ISO", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(env.duration("DAYS", Duration.ZERO)).isEqualTo(Duration.ofDays(7));
        assertThat(env.bool("ON", false)).isTrue();
        assertThat(env.list("KEYS", List.of())).containsExactly("a", "b", "c");
        assertThat(env.oneOf("MODE", "tinylfu", Set.of("tinylfu", "lru"))).isEqualTo("lru");
        assertThat(env.url("URL", null)).hasPort(9000);
        assertThat(env.decimal("RATIO", 0.1, 0, 1)).isEqualTo(0.25);
        env.validate();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Env env = new Env(Map.of("PORT", "80x", "RANGE", "70000", "TIMEOUT", "soon", "MODE", "fifo", "URL", "ftp://x"));
        env.integer("PORT", 1, 1, 65535);
        env.integer("RANGE", 1, 1, 65535);
        env.duration("TIMEOUT", Duration.ZERO);
        env.oneOf("MODE", "lru", Set.of("lru", "tinylfu"));
        env.url("URL", null);
        env.required("MISSING");

        assertThatThrownBy(env::validate)
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).hasSize(6))
                .hasMessageContaining("PORT must be an integer, was '80x'")
                .hasMessageContaining("RANGE must be between 1 and 65535, was 70000")
                .hasMessageContaining("TIMEOUT must be a duration")
                .hasMessageContaining("MODE must be one of [lru, tinylfu], was 'fifo'")
                .hasMessageContaining("URL must be an http(s) URL")
                .hasMessageContaining("MISSING is required but not set");
    }
}
