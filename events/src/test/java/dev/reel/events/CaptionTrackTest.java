package dev.reel.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CaptionTrackTest {

    @ParameterizedTest
    @CsvSource({"en,en", "EN,en", "pt-br,pt-BR", "zh-hant-tw,zh-Hant-TW", "es-419,es-419", "sr-Latn,sr-Latn",
            "de-CH-1996,de-CH-1996", "en-x-sdh,en-x-sdh"})
    void wellFormedTagsAreCanonicalized(String tag, String canonical) {
        assertThat(CaptionTrack.canonicalLanguage(tag)).contains(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "english", "en_US", "e", "en--us", "x-klingon", "en/../../x", "en us", "123",
            "en-abcdefghijklmnopqrstuvwxyz-abcdefgh"})
    void otherTextIsNotALanguage(String tag) {
        assertThat(CaptionTrack.canonicalLanguage(tag)).isEmpty();
    }

    @Test
    void theDefaultLabelIsTheLanguagesOwnName() {
        assertThat(CaptionTrack.defaultLabel("en")).isEqualTo("English");
        assertThat(CaptionTrack.defaultLabel("fr")).isEqualTo("Français");
        assertThat(CaptionTrack.defaultLabel("pt-BR")).isEqualTo("Português (Brasil)");
    }

    @Test
    void labelsAreBoundedAndQuotable() {
        assertThat(CaptionTrack.labelProblem("English (CC)")).isEmpty();
        assertThat(CaptionTrack.labelProblem("a".repeat(CaptionTrack.MAX_LABEL + 1)))
                .contains("label is longer than 100 characters");
        assertThat(CaptionTrack.labelProblem("two\nlines")).isPresent();
        assertThat(CaptionTrack.labelProblem(null)).contains("label must not be blank");
    }

    @Test
    void aRecordListsItsTracksInLanguageOrderAndFindsOne() {
        VideoRecord sample = Samples.videoRecord();
        CaptionTrack en = new CaptionTrack("en", "English", CaptionKind.SUBTITLES, "k", 10, 1);
        VideoRecord record = new VideoRecord(sample.videoId(), sample.title(), sample.description(), sample.visibility(),
                sample.owner(), sample.source(), sample.state(), sample.progressPercent(), sample.failureReason(),
                sample.renditions(), sample.posterKey(), false, java.util.List.of(Samples.CAPTIONS_PT_BR, en),
                sample.transitions(), sample.updatedAt(), sample.version());

        assertThat(record.captions()).extracting(CaptionTrack::language).containsExactly("en", "pt-BR");
        assertThat(record.caption("pt-BR")).contains(Samples.CAPTIONS_PT_BR);
        assertThat(record.caption("de")).isEmpty();
    }
}
