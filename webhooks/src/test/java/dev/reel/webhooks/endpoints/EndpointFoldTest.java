package dev.reel.webhooks.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.webhooks.EndpointEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointFoldTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final String ID = "wh_abcdefgh";

    private final EndpointEvent.Registered registered = new EndpointEvent.Registered(ID, "alice", "https://example.com/hook",
            List.of("reel.transcode.completed"), "mine", "sealed-1", T0);

    @Test
    void registrationThenChangesInOrder() {
        Endpoint e = EndpointFold.apply(null, registered);
        assertThat(e.enabled()).isTrue();
        assertThat(e.wants("reel.transcode.completed")).isTrue();
        assertThat(e.wants("reel.video.uploaded")).isFalse();

        e = EndpointFold.apply(e, new EndpointEvent.Updated(ID, null, List.of("*"), null, null, T0.plusSeconds(1)));
        assertThat(e.wants("reel.video.uploaded")).isTrue();
        assertThat(e.url()).isEqualTo("https://example.com/hook");
        assertThat(e.description()).isEqualTo("mine");

        e = EndpointFold.apply(e, new EndpointEvent.SecretRotated(ID, "sealed-2", T0.plusSeconds(100), T0.plusSeconds(2)));
        assertThat(e.signingSecrets(T0.plusSeconds(50))).containsExactly("sealed-2", "sealed-1");
        assertThat(e.signingSecrets(T0.plusSeconds(100))).containsExactly("sealed-2");

        e = EndpointFold.apply(e, new EndpointEvent.Disabled(ID, "kept failing", T0.plusSeconds(3)));
        assertThat(e.enabled()).isFalse();
        assertThat(e.disabledReason()).isEqualTo("kept failing");
        assertThat(e.disabledAt()).isEqualTo(T0.plusSeconds(3));

        e = EndpointFold.apply(e, new EndpointEvent.Updated(ID, null, null, "still mine", null, T0.plusSeconds(4)));
        assertThat(e.enabled()).as("a change that does not mention enabled keeps it off").isFalse();
        assertThat(e.disabledReason()).isEqualTo("kept failing");

        e = EndpointFold.apply(e, new EndpointEvent.Updated(ID, null, null, null, true, T0.plusSeconds(5)));
        assertThat(e.enabled()).isTrue();
        assertThat(e.disabledReason()).isNull();

        e = EndpointFold.apply(e, new EndpointEvent.Updated(ID, null, null, null, false, T0.plusSeconds(6)));
        assertThat(e.disabledReason()).isEqualTo("turned off by its owner");

        assertThat(EndpointFold.apply(e, new EndpointEvent.Deleted(ID, T0.plusSeconds(7)))).isNull();
    }

    @Test
    void eventsAboutNoEndpointChangeNothingAndASecondRegistrationIsIgnored() {
        assertThat(EndpointFold.apply(null, new EndpointEvent.Disabled(ID, "x", T0))).isNull();
        assertThat(EndpointFold.apply(null, new EndpointEvent.Updated(ID, "https://x.example", null, null, true, T0))).isNull();
        Endpoint first = EndpointFold.apply(null, registered);
        Endpoint again = EndpointFold.apply(first, new EndpointEvent.Registered(ID, "mallory", "https://evil.example",
                List.of("*"), null, "sealed-x", T0.plusSeconds(9)));
        assertThat(again).isEqualTo(first);
    }
}
