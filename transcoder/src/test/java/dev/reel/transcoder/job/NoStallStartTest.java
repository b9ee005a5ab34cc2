package dev.reel.transcoder.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.transcoder.storage.RenditionUploader.Stored;
import org.junit.jupiter.api.Test;

class NoStallStartTest {

    private final NoStallStart rule = new NoStallStart(2, 4);

    @Test
    void anEncodeFasterThanRealTimeNeedsOnlyTheLead() {
        assertThat(rule.allows(60, new Stored(1, 4), 1.5)).as("one segment is less than the lead").isFalse();
        assertThat(rule.allows(60, new Stored(2, 8), 1.5)).isTrue();
        assertThat(rule.allows(60, new Stored(2, 8), 1.0)).as("exactly real time keeps pace").isTrue();
    }

    @Test
    void anEncodeSlowerThanRealTimeWaitsUntilPlaybackCannotCatchUp() {
        // at half real time a viewer would overtake the encoder unless half the video is stored, plus the lead
        assertThat(rule.allows(60, new Stored(2, 8), 0.5)).isFalse();
        assertThat(rule.allows(60, new Stored(9, 36), 0.5)).isFalse();
        assertThat(rule.allows(60, new Stored(10, 38), 0.5)).isTrue(); // 38 >= 60 * 0.5 + 8
        assertThat(rule.allows(60, new Stored(14, 56), 0.1)).as("54 + 8 s needed").isFalse();
    }

    @Test
    void nothingIsAnnouncedEarlyWithoutAKnownSpeedOrWhenTurnedOff() {
        assertThat(rule.allows(60, new Stored(10, 40), 0)).isFalse();
        assertThat(rule.off().allows(60, new Stored(10, 40), 4)).isFalse();
        assertThat(rule.allows(60, new Stored(0, 0), 4)).isFalse();
    }
}
