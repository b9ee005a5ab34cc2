package dev.reel.transcoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StderrTailTest {

    @Test
    void keepsTheLastLinesAndTheEndOfLongText() {
        StderrTail tail = new StderrTail(2);
        tail.add("first");
        tail.add("   ");
        tail.add("second");
        tail.add("[h264 @ 0x1] Invalid NAL unit size");
        assertThat(tail.text(1_000)).isEqualTo("second\n[h264 @ 0x1] Invalid NAL unit size");
        assertThat(tail.text(12)).isEqualTo("...unit size").hasSize(12);
    }
}
