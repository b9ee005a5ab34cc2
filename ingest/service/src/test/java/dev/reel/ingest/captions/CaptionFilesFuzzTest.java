package dev.reel.ingest.captions;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzing of uploaded caption files ({@code PUT /api/videos/{id}/captions/{language}}, WebVTT or SubRip): any bytes are
 * either refused with a {@link CaptionFileException} naming a line of the file (or 0 for the whole file), or become a
 * WebVTT file that reads back as itself with the same cues, so what is stored is always a file the parser accepts. CI
 * replays {@code CaptionFilesFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes ({@code infra/fuzz 5m ingest caption}).
 */
class CaptionFilesFuzzTest {

    @FuzzTest
    void captionFiles(byte[] bytes) throws CaptionFileException {
        if (bytes == null) {
            return;
        }
        CaptionFile file;
        try {
            file = CaptionFile.read(bytes);
        } catch (CaptionFileException refused) {
            long lines = new String(bytes, StandardCharsets.UTF_8).split("\r\n|\r|\n", -1).length;
            assertThat(refused.line()).as(refused.getMessage()).isBetween(0, (int) lines + 1);
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(new String(file.webVtt(), StandardCharsets.UTF_8)).startsWith("WEBVTT");
        CaptionFile again = CaptionFile.read(file.webVtt());
        assertThat(again.sourceFormat()).isEqualTo(CaptionFile.WEBVTT);
        assertThat(again.cues()).isEqualTo(file.cues());
        assertThat(again.webVtt()).isEqualTo(file.webVtt());
    }
}
