package dev.reel.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final String ALICE = "alice-secret-0123456789";
    private static final String BOB = "bob-secret-0123456789ab";

    @Test
    void aKeyActsForItsOwnerUntilRevoked() {
        ApiKeyRecord bob = ApiKeyRecord.added("bob", BOB, Instant.EPOCH);
        ApiKeys keys = ApiKeys.of(List.of(ApiKeyRecord.added("alice", ALICE, Instant.EPOCH), bob.revokedAt(Instant.EPOCH)));
        assertThat(keys.ownerOf("Bearer " + ALICE)).contains("alice");
        assertThat(keys.ownerOf("bearer  " + ALICE + " ")).contains("alice");
        assertThat(keys.ownerOf("Bearer " + BOB)).as("revoked").isEmpty();
        assertThat(keys.ownerOf("Bearer " + ALICE + "x")).isEmpty();
        assertThat(keys.ownerOf(ALICE)).as("no scheme").isEmpty();
        assertThat(keys.ownerOf(null)).isEmpty();
        assertThat(keys.isCaughtUp()).isTrue();
    }

    @Test
    void recordsHoldOnlyTheHashAndReadBack() {
        ApiKeyRecord record = ApiKeyRecord.added("alice", ALICE, Instant.parse("2026-12-01T00:00:00Z"));
        String json = new String(record.toJson(), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain(ALICE).contains(ApiKeyRecord.hash(ALICE), "\"owner\":\"alice\"");
        assertThat(ApiKeyRecord.fromJson(record.toJson())).isEqualTo(record);
        assertThatThrownBy(() -> ApiKeyRecord.added("alice", "short", Instant.EPOCH)).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> ApiKeyRecord.added("al ice", ALICE, Instant.EPOCH)).hasMessageContaining("owner");
        assertThatThrownBy(() -> ApiKeyRecord.fromJson("{\"owner\":\"alice\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsFollowTheirJsonSchema() throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                SchemaLocation.of("classpath:dev/reel/events/schemas/api-key.schema.json"),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        ApiKeyRecord record = ApiKeyRecord.added("alice@example.org", ALICE, Instant.parse("2026-12-01T00:00:00Z"));
        for (ApiKeyRecord r : List.of(record, record.revokedAt(Instant.parse("2026-12-02T00:00:00Z")))) {
            assertThat(schema.validate(new ObjectMapper().readTree(r.toJson()))).as(new String(r.toJson())).isEmpty();
        }
        assertThat(schema.validate(new ObjectMapper().readTree("{\"keyHash\":\"x\",\"owner\":\".hidden\"}"))).isNotEmpty();
    }

    @Test
    void viewersSeePrivateVideosOnlyAsOwnerOrWithTheirToken() {
        PlaybackTokens tokens = new PlaybackTokens("a-playback-token-key-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8));
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        String token = tokens.mint("v1", now.plusSeconds(60));
        assertThat(Viewer.ANONYMOUS.maySee("v1", "alice", false, tokens, now)).as("public or unlisted").isTrue();
        assertThat(Viewer.ANONYMOUS.maySee("v1", "alice", true, tokens, now)).isFalse();
        assertThat(new Viewer("bob", null).maySee("v1", "alice", true, tokens, now)).isFalse();
        assertThat(new Viewer("alice", null).maySee("v1", "alice", true, null, now)).isTrue();
        assertThat(new Viewer(null, token).maySee("v1", "alice", true, tokens, now)).isTrue();
        assertThat(new Viewer(null, token).maySee("v2", "alice", true, tokens, now)).as("another video").isFalse();
        assertThat(new Viewer(null, token).maySee("v1", "alice", true, tokens, now.plusSeconds(61))).as("expired").isFalse();
        assertThat(new Viewer(null, token).maySee("v1", "alice", true, null, now)).as("no token key").isFalse();
        assertThat(Optional.ofNullable(new Viewer("alice", null).owner())).contains("alice");
    }
}
