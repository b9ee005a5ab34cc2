package dev.reel.transcoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressParserTest {

    @Test
    void oneProgressPerBlock() {
        ProgressParser parser = new ProgressParser();
        List<String> lines = List.of("frame=90", "out_time_us=3000000", "out_time_ms=3000000", "speed=2.5x", "progress=continue",
                "frame=180", "out_time_us=6016000", "speed=N/A", "progress=end");
        List<Progress> blocks = lines.stream().map(parser::accept).flatMap(Optional::stream).toList();
        assertThat(blocks).containsExactly(new Progress(3.0, 2.5, false), new Progress(6.016, 0.0, true));
        assertThat(blocks.getFirst().percentOf(6.0)).isEqualTo(50.0);
        assertThat(blocks.getLast().percentOf(6.0)).as("never above 100").isEqualTo(100.0);
    }

    @Test
    void theTimeBeforeTheFirstFrameIsZero() {
        ProgressParser parser = new ProgressParser();
        parser.accept("out_time_us=N/A");
        parser.accept("out_time_us=-9223372036854775807");
        assertThat(parser.accept("progress=continue")).contains(new Progress(0, 0, false));
    }
}
