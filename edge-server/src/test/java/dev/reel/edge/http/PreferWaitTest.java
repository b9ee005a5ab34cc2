package dev.reel.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class PreferWaitTest {

    private static final Duration MAX = Duration.ofSeconds(20);

    private static Duration of(String... prefer) {
        HttpFields.Mutable headers = HttpFields.build();
        for (String value : prefer) {
            headers.add("Prefer", value);
        }
        return PreferWait.of(headers, MAX);
    }

    @Test
    void readsTheWaitAmongOtherPreferencesInAnyCase() {
        assertThat(of("wait=5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(of("respond-async, WAIT=7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(of("return=minimal; foo=bar, wait = 3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(of("handling=lenient", "wait=\"4\"")).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void isCappedAndZeroWhenAbsentOrUnreadable() {
        assertThat(of("wait=3600")).isEqualTo(MAX);
        assertThat(of("wait=999999999999")).isZero();
        assertThat(of()).isZero();
        assertThat(of("wait")).isZero();
        assertThat(of("wait=-5")).isZero();
        assertThat(of("wait=1.5")).isZero();
        assertThat(of("waiting=5")).isZero();
        assertThat(of("respond-async; wait=5")).as("a parameter of another preference").isZero();
    }
}
