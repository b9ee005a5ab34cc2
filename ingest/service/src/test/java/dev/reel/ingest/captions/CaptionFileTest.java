package dev.reel.ingest.captions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaptionFileTest {

    private static final String VTT = """
            WEBVTT - Reel test
            Kind: captions

            STYLE
            ::cue { color: yellow }

            NOTE written by hand,
            over two lines

            intro
            00:01.000 --> 00:02.500 align:start line:0
            <v Ana>Hello <b>there</b></v>

            00:00:02.500 --> 00:00:04.000
            Second cue
            on two lines

            01:00:00.000 --> 01:00:01.000
            """;

    @Test
    void aWebVttFileIsKeptAsWrittenWithItsCuesCounted() throws Exception {
        CaptionFile file = CaptionFile.read(VTT.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));

        assertThat(file.sourceFormat()).isEqualTo(CaptionFile.WEBVTT);
        assertThat(file.cues()).isEqualTo(3);
        assertThat(new String(file.webVtt(), StandardCharsets.UTF_8)).isEqualTo(VTT.stripTrailing() + "\n");
    }

    @Test
    void aByteOrderMarkIsDropped() throws Exception {
        CaptionFile file = CaptionFile.read(("\uFEFF" + VTT).getBytes(StandardCharsets.UTF_8));

        assertThat(new String(file.webVtt(), StandardCharsets.UTF_8)).startsWith("WEBVTT - Reel test\n");
    }

    @Test
    void subRipBecomesWebVtt() throws Exception {
        String srt = """
                1
                00:00:01,000 --> 00:00:02,500
                <i>Hello</i> <font color="#ff0000">there</font>

                2
                00:00:02.500 --> 00:00:04,000 X1:10 X2:20 Y1:30 Y2:40
                {\\an8}Second cue
                on two lines

                3
                100:00:00,000 --> 100:00:01,000
                ♪ Ünïcödé ♪
                """;

        CaptionFile file = CaptionFile.read(srt.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));

        assertThat(file.sourceFormat()).isEqualTo(CaptionFile.SRT);
        assertThat(file.cues()).isEqualTo(3);
        assertThat(new String(file.webVtt(), StandardCharsets.UTF_8)).isEqualTo("""
                WEBVTT

                1
                00:00:01.000 --> 00:00:02.500
                <i>Hello</i> there

                2
                00:00:02.500 --> 00:00:04.000
                Second cue
                on two lines

                3
                100:00:00.000 --> 100:00:01.000
                ♪ Ünïcödé ♪
                """);
        // what we write is WebVTT we accept ourselves
        assertThat(CaptionFile.read(file.webVtt()).cues()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"',
            textBlock = """
                    bad signature         | WEBVTTX\\n\\n00:01.000 --> 00:02.000\\nx                                | 1 | starts with the line WEBVTT
                    no signature          | WEBVT\\n\\n00:01.000 --> 00:02.000\\nx                                  | 1 | or WEBVTT on the first line (WebVTT), got 'WEBVT'
                    cue in the header     | WEBVTT\\n00:01.000 --> 00:02.000\\nx                                   | 2 | a blank line must separate the header
                    bad timing            | WEBVTT\\n\\n00:01.000 -> 00:02.000\\nx                                 | 3 | expected a cue timing line
                    minutes over 59       | WEBVTT\\n\\n00:61.000 --> 01:02.000\\nx                                | 3 | expected a cue timing line
                    comma in vtt          | WEBVTT\\n\\n1\\n00:00:01,000 --> 00:00:02,000\\nx                      | 4 | got '00:00:01,000 --> 00:00:02,000'
                    identifier alone      | WEBVTT\\n\\nintro\\n\\n00:01.000 --> 00:02.000\\nx                     | 3 | 'intro' is not followed by a cue timing line
                    ends before start     | WEBVTT\\n\\n00:05.000 --> 00:02.000\\nx                                | 3 | the cue ends at 00:00:02.000, not after it starts at 00:00:05.000
                    out of order          | WEBVTT\\n\\n00:05.000 --> 00:06.000\\na\\n\\n00:01.000 --> 00:02.000\\nb | 6 | cues must be in order of start time
                    missing blank line    | WEBVTT\\n\\n00:01.000 --> 00:02.000\\na\\n00:02.000 --> 00:03.000\\nb   | 5 | cue text must not contain '-->'
                    arrow in a note       | WEBVTT\\n\\nNOTE\\n00:01.000 --> 00:02.000                             | 4 | a NOTE block must not contain '-->'
                    no cues               | WEBVTT\\n\\nNOTE nothing here                                          | 0 | the file has no cues
                    srt without number    | 00:00:01,000 --> 00:00:02,000\\nx                                      | 1 | expected a cue number (SubRip) or WEBVTT
                    srt bad timing        | 1\\n00:00:01,000 --> 00:00:02\\nx                                      | 2 | expected a cue timing line like 00:00:01,000
                    srt number alone      | 1\\n00:00:01,000 --> 00:00:02,000\\nx\\n\\n2                           | 5 | cue number 2 is not followed by a cue timing line
                    srt ends at its start | 1\\n00:00:01,000 --> 00:00:01,000\\nx                                  | 2 | not after it starts
                    empty file            | ""                                                                     | 0 | the file has no cues
                    """)
    void aBadFileIsRefusedNamingTheLine(String name, String content, int line, String problem) {
        byte[] bytes = content.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CaptionFile.read(bytes)).isInstanceOfSatisfying(CaptionFileException.class, e -> {
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.getMessage()).contains(problem).startsWith(line > 0 ? "line " + line + ": " : "the file");
        });
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedAtTheLineOfTheFirstBadByte() {
        byte[] latin1 = "WEBVTT\n\n00:01.000 --> 00:02.000\nCaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> CaptionFile.read(latin1)).isInstanceOf(CaptionFileException.class)
                .hasMessage("line 4: the file is not UTF-8 (byte 36); save it as UTF-8");
    }
}
