package dev.reel.transcoder.ladder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.transcoder.ffmpeg.SourceInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderTableTest {

    private static List<String> names(List<PlannedRendition> plan) {
        return plan.stream().map(PlannedRendition::name).toList();
    }

    private static List<String> sizes(List<PlannedRendition> plan) {
        return plan.stream().map(r -> r.width() + "x" + r.height()).toList();
    }

    @Test
    void a1080pSourceGetsTheWholeLadder() {
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(new SourceInfo(1920, 1080, 30, true, 60));
        assertThat(names(plan)).containsExactly("240p", "360p", "480p", "720p", "1080p");
        assertThat(sizes(plan)).containsExactly("426x240", "640x360", "854x480", "1280x720", "1920x1080");
        assertThat(plan).extracting(r -> r.level().name()).containsExactly("2.1", "3.0", "3.1", "3.1", "4.0");
    }

    @Test
    void neverUpscales() {
        assertThat(names(LadderTable.DEFAULT.plan(new SourceInfo(640, 360, 25, true, 10)))).containsExactly("240p", "360p");
        assertThat(names(LadderTable.DEFAULT.plan(new SourceInfo(1280, 718, 25, true, 10))))
                .as("two pixels short of 720p is not 720p").containsExactly("240p", "360p", "480p");
        assertThat(names(LadderTable.DEFAULT.plan(new SourceInfo(3840, 2160, 25, true, 10)))).last().isEqualTo("1080p");
    }

    @Test
    void aSourceBelowTheLowestRungKeepsItsOwnSize() {
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(new SourceInfo(160, 90, 25, false, 5));
        assertThat(names(plan)).containsExactly("240p");
        assertThat(sizes(plan)).containsExactly("160x90");
    }

    @Test
    void portraitVideoCountsItsShortSide() {
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(new SourceInfo(720, 1280, 30, true, 10));
        assertThat(names(plan)).containsExactly("240p", "360p", "480p", "720p");
        assertThat(sizes(plan)).containsExactly("240x426", "360x640", "480x854", "720x1280");
    }

    @Test
    void sizesAreEvenForOddAspectRatios() {
        assertThat(LadderTable.DEFAULT.plan(new SourceInfo(1000, 750, 25, true, 10)))
                .allMatch(r -> r.width() % 2 == 0 && r.height() % 2 == 0);
    }

    @Test
    void highFrameRatesAreHalvedToAtMost60() {
        assertThat(LadderTable.outputFrameRate(120)).isEqualTo(60);
        assertThat(LadderTable.outputFrameRate(59.94)).isEqualTo(59.94);
        assertThat(LadderTable.DEFAULT.plan(new SourceInfo(1920, 1080, 60, true, 10)).getLast().level().name())
                .as("1080p60 needs level 4.2").isEqualTo("4.2");
    }
}
