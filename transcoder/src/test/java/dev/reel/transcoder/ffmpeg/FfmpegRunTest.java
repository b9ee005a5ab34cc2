package dev.reel.transcoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FfmpegRunTest {

    @Test
    void theCpuTimeIsReadEvenWhenX264sStatisticsPushItOutOfTheTail() throws Exception {
        // four encodes of one decode, as a chunk task runs: each x264 prints its statistics after the benchmark line
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "info", "-benchmark",
                "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=1"));
        for (int i = 0; i < 4; i++) {
            command.addAll(List.of("-map", "0:v", "-c:v", "libx264", "-preset", "veryfast", "-f", "null", "-"));
        }
        try (FfmpegRun ffmpeg = FfmpegRun.start(command, "test", p -> {
        })) {
            ffmpeg.requireSuccess();
            assertThat(ffmpeg.stderrTail(100_000)).as("the tail holds the statistics, not the benchmark line")
                    .contains("libx264").doesNotContain("bench: utime");
            assertThat(ffmpeg.cpuMillis()).isPositive();
        }
    }
}
