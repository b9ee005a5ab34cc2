package dev.reel.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Fuzzing of what the services read from outside to authenticate: API key records from {@code reel.keys}, the
 * {@code Authorization} header, playback tokens. CI replays the seed corpus ({@code AuthParsersFuzzTestInputs/}) and
 * the regressions; {@code JAZZER_FUZZ=1} fuzzes (see the root README, "Fuzzing").
 */
class AuthParsersFuzzTest {

    private static final PlaybackTokens TOKENS = new PlaybackTokens(
            "a-playback-token-key-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8));
    private static final String KEY = "alice-key-0123456789abcdef";
    private static final ApiKeys KEYS = ApiKeys.of(java.util.List.of(ApiKeyRecord.added("alice", KEY, Instant.EPOCH)));

    /** A key record is read or refused with IllegalArgumentException; what is read round-trips. */
    @FuzzTest
    void apiKeyRecords(byte[] json) {
        ApiKeyRecord record;
        try {
            record = ApiKeyRecord.fromJson(json);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(ApiKeyRecord.fromJson(record.toJson())).isEqualTo(record);
        assertThat(record.keyHash()).matches("[0-9a-f]{64}");
    }

    /** Any Authorization header: no exception, and only the real key of the table names its owner. */
    @FuzzTest
    void authorizationHeaders(String header) {
        String token = ApiKeys.bearerToken(header);
        if (token != null) {
            assertThat(token).isNotEmpty().isEqualTo(token.strip());
        }
        assertThat(KEYS.ownerOf(header)).isEqualTo(KEY.equals(token)
                ? java.util.Optional.of("alice")
                : java.util.Optional.empty());
    }

    /** Any token and id: no exception, and nothing but a token minted for that id and time verifies. */
    @FuzzTest
    void playbackTokens(FuzzedDataProvider data) {
        String videoId = data.consumeString(40);
        long now = data.consumeLong(0, 4_000_000_000L);
        String token = data.consumeRemainingAsString();
        boolean valid = TOKENS.verify(token, videoId, Instant.ofEpochSecond(now));
        if (valid) {
            String minted = TOKENS.mint(videoId, Instant.ofEpochSecond(Long.parseLong(token.substring(0, token.indexOf('.')))));
            assertThat(token.substring(token.indexOf('.') + 1)).isEqualTo(minted.substring(minted.indexOf('.') + 1));
        }
    }
}
