package dev.reel.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void showsBytesRateAndEta() {
        String line = ProgressBar.render(50L * 1024 * 1024, 100L * 1024 * 1024, 50L * 1024 * 1024, Duration.ofSeconds(10));
        assertThat(line).startsWith("[###############---------------]")
                .contains(" 50.0% ", "50.0 MiB / 100.0 MiB", "5.0 MiB/s", "ETA 00:10");
    }

    @Test
    void aResumedUploadCountsItsRateFromThisRunOnly() {
        String line = ProgressBar.render(90L * 1024 * 1024, 100L * 1024 * 1024, 1024 * 1024, Duration.ofSeconds(1));
        assertThat(line).contains("1.0 MiB/s", "ETA 00:10");
        assertThat(ProgressBar.render(0, 100, 0, Duration.ZERO)).contains("ETA --:--");
    }

    @Test
    void unitsAndClock() {
        assertThat(ProgressBar.bytes(999)).isEqualTo("999 B");
        assertThat(ProgressBar.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(ProgressBar.bytes(3L * 1024 * 1024 * 1024)).isEqualTo("3.0 GiB");
        assertThat(ProgressBar.clock(3725)).isEqualTo("1:02:05");
        assertThat(ProgressBar.clock(65)).isEqualTo("01:05");
    }

    @Test
    void drawsInPlaceAndEndsTheLineWhenDone() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8), 0);
        bar.update(0, 100, 1_000_000_000L);
        bar.update(50, 100, 1_000_000_001L); // too soon: not redrawn
        bar.update(100, 100, 2_000_000_000L);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.split("\r", -1)).hasSize(3);
        assertThat(text).endsWith(System.lineSeparator()).contains("100.0%");
    }
}
