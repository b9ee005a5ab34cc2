package dev.reel.edge.cmcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.reel.events.SegmentServed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.http.HttpFields;

/**
 * Fuzzing of the CMCD a player puts in every playlist and segment request ({@code ?CMCD=} or {@code CMCD-*} headers):
 * any value parses without an exception into fields that {@code segment.served} accepts, and reads the same as either,
 * so no request can fail or lose its event over CMCD. CI replays {@code CmcdFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes ({@code infra/fuzz 5m edge cmcd}).
 */
class CmcdFuzzTest {

    private final CmcdParser parser = new CmcdParser(new SimpleMeterRegistry());

    @FuzzTest
    void cmcd(String value) {
        Cmcd cmcd = parser.parse(value);
        assertThat(cmcd).isNotNull();
        SegmentServed served = new SegmentServed("v1", "edge-1", "240p", "seg-00001.m4s", 1, true, 1, cmcd.sessionId(),
                cmcd.bufferMillis(), cmcd.measuredThroughputKbps(), cmcd.bitrateKbps(), cmcd.objectType(), cmcd.startup());
        assertThat(served.sessionId()).isEqualTo(cmcd.sessionId());
        if (value == null || value.length() > CmcdParser.MAX_LENGTH) {
            assertThat(cmcd).isEqualTo(Cmcd.NONE);
        } else { // the same text sent as a header (hls.js's useHeaders) reads the same
            assertThat(parser.parseHeaders(HttpFields.build().add("CMCD-Request", value))).isEqualTo(cmcd);
        }
    }
}
