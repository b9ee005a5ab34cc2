package dev.reel.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.ByteRange;

/**
 * Fuzzing of what an edge reads from a viewer's URL and headers: media paths (the allow-list that object keys are built
 * from) and {@code Range}. CI replays {@code EdgeParsersFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class EdgeParsersFuzzTest {

    /** Any path: empty or a path of the allow-list, whose parts never leave the video's folder. */
    @FuzzTest
    void mediaPaths(String path) {
        Optional<MediaPath> parsed = MediaPath.parse(path);
        parsed.ifPresent(media -> {
            assertThat(media.videoId()).matches("[A-Za-z0-9_-]{1,128}");
            assertThat(media.file()).doesNotContain("/", "..");
            if (media.rendition() != null) {
                assertThat(media.rendition()).matches("[A-Za-z0-9_-]{1,128}");
                assertThat(media.objectKeyBeside("media/v/" + media.rendition() + "/index.m3u8"))
                        .startsWith("media/v/" + media.rendition() + "/").doesNotContain("..");
            }
            assertThat(media.segmentNumber()).isBetween(0, 99_999);
            assertThat(media.contentType()).isNotBlank();
        });
    }

    /**
     * Any Range header over an object of any size: satisfiable ranges lie inside it, a range read alone on a miss is
     * well ordered, nothing throws.
     */
    @FuzzTest
    void ranges(FuzzedDataProvider data) {
        long length = data.consumeLong(0, 1L << 40);
        List<String> values = List.of(data.consumeString(200), data.consumeRemainingAsString());
        assertThat(ContentSender.rangeCount(values)).isNotNegative();
        ContentSender.singleRange(values.getFirst()).ifPresent(range -> {
            assertThat(range.first()).isBetween(0L, range.last());
            assertThat(range.last()).isLessThanOrEqualTo(ContentSender.OPEN_END);
        });
        List<ByteRange> ranges = ByteRange.parse(values, length);
        for (ByteRange range : ranges) {
            assertThat(range.first()).isBetween(0L, length - 1);
            assertThat(range.last()).isBetween(range.first(), length - 1);
        }
    }
}
