package dev.reel.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

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
}
