package dev.reel.edge.player;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.events.PlaybackBeacon;
import org.junit.jupiter.api.Test;

class BeaconHandlerTest {

    @Test
    void readsTheBeaconThePlayerSends() throws Exception {
        PlaybackBeacon beacon = BeaconHandler.parse(
                "{\"videoId\":\"abcDEF123_-\",\"sessionId\":\"s1\",\"startupMillis\":null,\"stalls\":0,\"stallMillis\":0,\"rendition\":null}");
        assertThat(beacon.startupMillis()).isNull();
        assertThat(beacon.rendition()).isNull();
    }

    @Test
    void refusesBadBeacons() {
        assertThatThrownBy(() -> BeaconHandler.parse("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BeaconHandler.parse("{\"videoId\":\"../x\",\"sessionId\":\"s\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BeaconHandler.parse("{\"videoId\":\"v\",\"sessionId\":\"s\",\"stalls\":-1}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
