package dev.reel.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private final ApiKeys keys = ApiKeys.parse(List.of("alice:alice-secret-1", "bob:bob-secret-22"));

    @Test
    void aBearerKeyNamesItsOwner() {
        assertThat(keys.ownerOf("Bearer alice-secret-1")).contains("alice");
        assertThat(keys.ownerOf("bearer   bob-secret-22 ")).contains("bob");
    }

    @Test
    void missingMalformedOrUnknownKeysHaveNoOwner() {
        assertThat(keys.ownerOf(null)).isEmpty();
        assertThat(keys.ownerOf("")).isEmpty();
        assertThat(keys.ownerOf("Basic YWxpY2U6eA==")).isEmpty();
        assertThat(keys.ownerOf("Bearer ")).isEmpty();
        assertThat(keys.ownerOf("Bearer alice-secret-")).isEmpty();
        assertThat(keys.ownerOf("Bearer alice-secret-12")).isEmpty();
    }

    @Test
    void badConfigurationIsRefusedWithoutEchoingKeys() {
        assertThatThrownBy(() -> ApiKeys.parse(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("nokey"))).hasMessageContaining("owner:key");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("alice:short"))).hasMessageContaining("at least 8")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("al ice:long-enough-key"))).hasMessageContaining("owner");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("a:same-key-123", "b:same-key-123")))
                .hasMessageContaining("another owner");
    }
}
