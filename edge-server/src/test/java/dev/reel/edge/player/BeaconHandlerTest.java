package dev.reel.edge.player;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.events.PlaybackBeacon;
import org.junit.jupiter.api.Test;

class BeaconHandlerTest {

    @Test
    void readsTheBeaconOfTheFirstForm() {
        PlaybackBeacon beacon = BeaconHandler.parse(
                "{\"videoId\":\"abcDEF123_-\",\"sessionId\":\"s1\",\"startupMillis\":null,\"stalls\":0,\"stallMillis\":0,\"rendition\":null}");
        assertThat(beacon.startupMillis()).isNull();
        assertThat(beacon.rendition()).isNull();
        assertThat(beacon.sequence()).isNull();
    }

    @Test
    void readsEveryFieldThePlayerSends() {
        PlaybackBeacon beacon = BeaconHandler.parse("""
                {"videoId":"abcDEF123_-","sessionId":"s1","startupMillis":812,"stalls":2,"stallMillis":1900,
                 "rendition":"360p","sequence":4,"trigger":"stall-end","watchMillis":12000,
                 "stallEvents":[{"atMillis":3000,"durationMillis":700},{"atMillis":9000,"durationMillis":1200}],
                 "fatalError":null,"exitedBeforeStart":false,"renditionSwitches":1,"somethingNewer":true}""");
        assertThat(beacon.stallEvents()).containsExactly(new PlaybackBeacon.Stall(3000, 700),
                new PlaybackBeacon.Stall(9000, 1200));
        assertThat(beacon.sequence()).isEqualTo(4);
        assertThat(beacon.trigger()).isEqualTo("stall-end");
        assertThat(beacon.watchMillis()).isEqualTo(12_000);
        assertThat(beacon.exitedBeforeStart()).isFalse();
        assertThat(beacon.renditionSwitches()).isEqualTo(1);
        assertThat(beacon.failed()).isFalse();
    }

    @Test
    void refusesBadBeaconsWithTheReason() {
        assertThatThrownBy(() -> BeaconHandler.parse("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BeaconHandler.parse("{\"videoId\":\"../x\",\"sessionId\":\"s\",\"stalls\":0,\"stallMillis\":0}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("videoId");
        assertThatThrownBy(() -> BeaconHandler.parse("{\"videoId\":\"v\",\"sessionId\":\"s\",\"stalls\":-1,\"stallMillis\":0}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stalls must not be negative");
        assertThatThrownBy(
                () -> BeaconHandler.parse("{\"videoId\":\"v\",\"sessionId\":\"s\",\"stalls\":\"2\",\"stallMillis\":0}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BeaconHandler.parse("{\"videoId\":\"v\",\"sessionId\":\"s\",\"stalls\":0,\"stallMillis\":0,"
                + "\"stallEvents\":[{\"atMillis\":-1,\"durationMillis\":1}]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BeaconHandler.parse("not json")).isInstanceOf(IllegalArgumentException.class);
    }
}
