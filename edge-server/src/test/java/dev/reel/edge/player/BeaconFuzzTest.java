package dev.reel.edge.player;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.reel.events.PlaybackBeacon;

/**
 * Fuzzing of the player's beacon JSON ({@code POST /api/beacon}): any body is a valid {@code playback.beacon} or a 400
 * (an {@link IllegalArgumentException} with a reason), never a 500. CI replays
 * {@code BeaconFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class BeaconFuzzTest {

    @FuzzTest
    void beacons(String body) {
        if (body == null) {
            return; // Jetty reads an absent body as ""
        }
        PlaybackBeacon beacon;
        try {
            beacon = BeaconHandler.parse(body);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(beacon.videoId()).matches("[A-Za-z0-9_-]{1,128}");
        assertThat(beacon.stalls()).isNotNegative();
    }
}
