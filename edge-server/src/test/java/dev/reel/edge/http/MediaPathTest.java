package dev.reel.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaPathTest {

    @Test
    void parsesTheAllowedShapes() {
        assertThat(MediaPath.parse("/v/abc_DEF-123/master.m3u8")).hasValueSatisfying(p -> {
            assertThat(p.isMaster()).isTrue();
            assertThat(p.contentType()).isEqualTo(MediaTypes.PLAYLIST);
        });
        assertThat(MediaPath.parse("/v/abc/poster.jpg")).hasValueSatisfying(p -> assertThat(p.isPoster()).isTrue());
        assertThat(MediaPath.parse("/v/abc/storyboard.vtt")).hasValueSatisfying(p -> {
            assertThat(p.isStoryboard()).isTrue();
            assertThat(p.contentType()).isEqualTo(MediaTypes.WEBVTT);
            assertThat(p.objectKeyBeside("media/abc/storyboard.vtt")).isEqualTo("media/abc/storyboard.vtt");
        });
        assertThat(MediaPath.parse("/v/abc/storyboard.jpg")).hasValueSatisfying(p -> {
            assertThat(p.isStoryboard()).isTrue();
            assertThat(p.contentType()).isEqualTo(MediaTypes.JPEG);
            assertThat(p.objectKeyBeside("media/abc/storyboard.vtt")).isEqualTo("media/abc/storyboard.jpg");
        });
        assertThat(MediaPath.parse("/v/abc/storyboard.png")).isEmpty();
        assertThat(MediaPath.parse("/v/abc/storyboard/tile-00001.jpg")).as("tiles are the transcoder's own").isEmpty();
        assertThat(MediaPath.parse("/v/abc/360p/seg-00042.m4s")).hasValueSatisfying(p -> {
            assertThat(p.segmentNumber()).isEqualTo(42);
            assertThat(p.contentType()).isEqualTo(MediaTypes.MEDIA_SEGMENT);
            assertThat(p.objectKeyBeside("media/abc/360p/index.m3u8")).isEqualTo("media/abc/360p/seg-00042.m4s");
        });
        assertThat(MediaPath.parse("/v/abc/360p/init.mp4")).hasValueSatisfying(p -> {
            assertThat(p.contentType()).isEqualTo(MediaTypes.INIT_SEGMENT);
            assertThat(p.segmentNumber()).isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v/abc/../secret", "/v/abc/360p/../../x.m4s", "/v/abc/360p/seg-1.m4s", "/v/abc/360p/seg-000001.m4s",
            "/v/abc/360p/index.m3u8.bak", "/v/abc/360p/other.mp4", "/v/a.b/master.m3u8", "/v/abc/360p/sub/init.mp4",
            "/v/abc/thumb.jpg", "/v//master.m3u8", "/v/abc/%2e%2e/init.mp4", "/v/abc/360p/init.mp4/", "/media/abc/360p/init.mp4"})
    void refusesEverythingElse(String path) {
        assertThat(MediaPath.parse(path)).isEmpty();
    }

    /** The grammar of media and caption URLs, as regular expressions: what the hand-written parsers must agree with. */
    private static final String NAME = "[A-Za-z0-9_-]{1,128}";
    private static final Pattern VIDEO_FILE = Pattern
            .compile("/v/(" + NAME + ")/(master\\.m3u8|poster\\.jpg|manifest\\.mpd|storyboard\\.vtt|storyboard\\.jpg)");
    private static final Pattern RENDITION_FILE = Pattern
            .compile("/v/(" + NAME + ")/(" + NAME + ")/(index\\.m3u8|init\\.mp4|seg-(\\d{5})\\.m4s)");
    private static final Pattern CAPTION = Pattern.compile("/v/(" + NAME + ")/captions/([A-Za-z0-9-]{1,35})\\.(m3u8|vtt)");
    private static final List<String> PIECES = List.of("/v/", "/", "//", "captions/", "captions", "abc", "a_b-C9",
            "x".repeat(128),
            "x".repeat(129), "en", "pt-BR", "e_n", "l".repeat(35), "l".repeat(36), "master.m3u8", "poster.jpg", "manifest.mpd",
            "storyboard.vtt", "storyboard.jpg", "index.m3u8", "init.mp4", "seg-00042.m4s", "seg-0042.m4s", "seg-000042.m4s",
            "seg-0004a.m4s", "seg-\u0663\u0663\u0663\u0663\u0663.m4s", "seg-", ".m4s", ".m3u8", ".vtt", ".", "..", "%2e",
            "\u00e9", "",
            " ", "?", "\u0000", "v", "m3u8", "vtt");

    /** Paths made of the grammar's pieces (and a few that are not), many of them valid: both readings agree on each. */
    @Test
    void agreesWithTheGrammar() {
        Random random = new Random(20261202);
        int valid = 0;
        for (int n = 0; n < 200_000; n++) {
            String text = random.nextBoolean() ? shaped(random) : pieces(random);
            assertThat(MediaPath.parse(text)).as(text).isEqualTo(byTheGrammar(text));
            assertThat(CaptionPath.parse(text)).as(text).isEqualTo(captionByTheGrammar(text));
            valid += MediaPath.parse(text).isPresent() || CaptionPath.parse(text).isPresent() ? 1 : 0;
        }
        assertThat(valid).as("valid paths among those generated").isGreaterThan(1_000);
    }

    /** Up to seven pieces, most after {@code /v/}. */
    private static String pieces(Random random) {
        StringBuilder path = new StringBuilder(random.nextInt(4) == 0 ? "" : "/v/");
        for (int pieces = random.nextInt(7); pieces >= 0; pieces--) {
            path.append(PIECES.get(random.nextInt(PIECES.size())));
        }
        return path.toString();
    }

    /** The shape of a video file, a rendition file or a caption track, each part any piece. */
    private static String shaped(Random random) {
        String id = PIECES.get(random.nextInt(PIECES.size()));
        String file = PIECES.get(random.nextInt(PIECES.size()));
        return switch (random.nextInt(3)) {
            case 0 -> "/v/" + id + "/" + file;
            case 1 -> "/v/" + id + "/" + PIECES.get(random.nextInt(PIECES.size())) + "/" + file;
            default -> "/v/" + id + "/captions/" + PIECES.get(random.nextInt(PIECES.size()))
                    + List.of(".m3u8", ".vtt", ".srt", "").get(random.nextInt(4));
        };
    }

    private static Optional<MediaPath> byTheGrammar(String path) {
        Matcher video = VIDEO_FILE.matcher(path);
        if (video.matches()) {
            return Optional.of(new MediaPath(video.group(1), null, video.group(2)));
        }
        Matcher rendition = RENDITION_FILE.matcher(path);
        return rendition.matches()
                ? Optional.of(new MediaPath(rendition.group(1), rendition.group(2), rendition.group(3)))
                : Optional.empty();
    }

    private static Optional<CaptionPath> captionByTheGrammar(String path) {
        Matcher matcher = CAPTION.matcher(path);
        return matcher.matches()
                ? Optional.of(new CaptionPath(matcher.group(1), matcher.group(2), "m3u8".equals(matcher.group(3))))
                : Optional.empty();
    }
}
