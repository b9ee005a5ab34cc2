package dev.reel.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlaybackTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final PlaybackTokens tokens = new PlaybackTokens("k".repeat(32).getBytes(StandardCharsets.UTF_8));

    @Test
    void aTokenOpensItsVideoUntilItExpires() {
        String token = tokens.mint("video-1", NOW.plusSeconds(60));
        assertThat(tokens.verify(token, "video-1", NOW)).isTrue();
        assertThat(tokens.verify(token, "video-1", NOW.plusSeconds(59))).isTrue();
        assertThat(tokens.verify(token, "video-1", NOW.plusSeconds(60))).isFalse();
    }

    @Test
    void aTokenOpensNoOtherVideoAndCannotBeForged() {
        String token = tokens.mint("video-1", NOW.plusSeconds(60));
        assertThat(tokens.verify(token, "video-2", NOW)).isFalse();
        String longer = (NOW.getEpochSecond() + 3600) + token.substring(token.indexOf('.'));
        assertThat(tokens.verify(longer, "video-1", NOW)).as("expiry is signed").isFalse();
        PlaybackTokens otherKey = new PlaybackTokens("x".repeat(32).getBytes(StandardCharsets.UTF_8));
        assertThat(otherKey.verify(token, "video-1", NOW)).isFalse();
    }

    @Test
    void garbageIsRejectedNotThrown() {
        for (String garbage : new String[]{null, "", ".", "123.", ".abc", "abc.def", "123.!!!", "99999999999999999999.x"}) {
            assertThat(tokens.verify(garbage, "video-1", NOW)).as(String.valueOf(garbage)).isFalse();
        }
    }

    @Test
    void shortKeysAreRefused() {
        assertThatThrownBy(() -> new PlaybackTokens(new byte[16])).hasMessageContaining("at least 32 bytes");
    }
}
