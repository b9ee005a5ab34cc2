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

    private static List<PlannedRendition> plan(int width, int height, double fps, boolean audio) {
        return LadderTable.DEFAULT.plan(new SourceInfo(width, height, fps, audio, 10));
    }

    /** What every plan must hold whatever the source: no upscaling, even sizes, rising sizes and rates, a level that fits. */
    private static void assertSane(List<PlannedRendition> plan, SourceInfo source) {
        assertThat(plan).isNotEmpty().allMatch(r -> r.width() % 2 == 0 && r.height() % 2 == 0);
        assertThat(plan).allMatch(r -> Math.min(r.width(), r.height()) <= source.shortSide()
                && Math.max(r.width(), r.height()) <= Math.max(source.width(), source.height()) + 1);
        assertThat(plan).extracting(r -> Math.min(r.width(), r.height())).isSorted().doesNotHaveDuplicates();
        assertThat(plan).extracting(r -> r.rung().videoKbps()).isSorted();
        assertThat(plan).allMatch(r -> (r.height() > r.width()) == source.portrait(), "keeps the orientation");
        for (PlannedRendition r : plan) {
            assertThat(H264Level.forStream(r.width(), r.height(), r.frameRate(), r.rung().maxrateKbps(), r.rung().profile()))
                    .isEqualTo(r.level());
        }
    }

    @Test
    void a1080pSourceGetsTheWholeLadderUpTo1080p() {
        List<PlannedRendition> plan = plan(1920, 1080, 30, true);
        assertThat(names(plan)).containsExactly("240p", "360p", "480p", "720p", "1080p");
        assertThat(sizes(plan)).containsExactly("426x240", "640x360", "854x480", "1280x720", "1920x1080");
        assertThat(plan).extracting(r -> r.level().name()).containsExactly("2.1", "3.0", "3.1", "3.1", "4.0");
    }

    @Test
    void neverUpscales() {
        assertThat(names(plan(640, 360, 25, true))).containsExactly("240p", "360p");
        List<PlannedRendition> almost720p = plan(1280, 718, 25, true);
        assertThat(names(almost720p)).as("two lines short of 720p: 480p, then the source's own size")
                .containsExactly("240p", "360p", "480p", "718p");
        assertThat(sizes(almost720p)).last().isEqualTo("1280x718");
        assertThat(names(plan(1920, 1088, 25, true))).as("within 10% above a rung: that rung is the top")
                .containsExactly("240p", "360p", "480p", "720p", "1080p");
    }

    @Test
    void aSourceBetweenRungsGetsATopRungAtItsOwnSizeWithInterpolatedRates() {
        List<PlannedRendition> plan = plan(1600, 900, 30, true);
        assertThat(names(plan)).containsExactly("240p", "360p", "480p", "720p", "900p");
        PlannedRendition top = plan.getLast();
        assertThat(top.width() + "x" + top.height()).isEqualTo("1600x900");
        // 900² is 45% of the way from 720² to 1080²: 2800 + 0.45 * (5000 - 2800)
        assertThat(top.rung().videoKbps()).isEqualTo(3_790);
        assertThat(top.rung().profile()).isEqualTo("high");
    }

    @Test
    void aSourceBelowTheLowestRungKeepsItsOwnSize() {
        List<PlannedRendition> plan = plan(160, 90, 25, false);
        assertThat(names(plan)).containsExactly("90p");
        assertThat(sizes(plan)).containsExactly("160x90");
        assertThat(plan.getFirst().rung().videoKbps()).isEqualTo(400);
    }

    @Test
    void sizesAreEvenForOddAspectRatios() {
        assertThat(plan(1000, 750, 25, true)).allMatch(r -> r.width() % 2 == 0 && r.height() % 2 == 0);
        assertThat(sizes(plan(641, 359, 25, true))).containsExactly("428x240", "640x358");
    }

    @Test
    void highFrameRatesAreHalvedToAtMost60() {
        assertThat(LadderTable.outputFrameRate(120)).isEqualTo(60);
        assertThat(LadderTable.outputFrameRate(59.94)).isEqualTo(59.94);
        assertThat(plan(1920, 1080, 60, true).getLast().level().name()).as("1080p60 needs level 4.2").isEqualTo("4.2");
    }

    // The eight odd inputs of issue 14, as the probe describes them (displayed size after rotation and sample aspect
    // ratio, average frame rate, audio or not). The codecs themselves do not change the ladder: every rendition is
    // H.264 8-bit 4:2:0 whatever came in.

    @Test
    void portraitPhoneVideoCountsItsShortSide() {
        SourceInfo portrait = new SourceInfo(1080, 1920, 30, true, 10);
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(portrait);
        assertThat(names(plan)).containsExactly("240p", "360p", "480p", "720p", "1080p");
        assertThat(sizes(plan)).containsExactly("240x426", "360x640", "480x854", "720x1280", "1080x1920");
        assertSane(plan, portrait);
    }

    @Test
    void aRotatedLandscapeRecordingIsLaidOutAsItIsDisplayed() {
        // coded 1280x720 with a 90° display matrix: the probe reports the displayed 720x1280
        SourceInfo rotated = new SourceInfo(720, 1280, 29.97, true, 10);
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(rotated);
        assertThat(sizes(plan)).containsExactly("240x426", "360x640", "480x854", "720x1280");
        assertSane(plan, rotated);
    }

    @Test
    void aVideoWithoutAudioGetsTheSameLadder() {
        SourceInfo silent = new SourceInfo(1280, 720, 25, false, 10);
        assertThat(names(LadderTable.DEFAULT.plan(silent))).containsExactly("240p", "360p", "480p", "720p");
        assertSane(LadderTable.DEFAULT.plan(silent), silent);
    }

    @Test
    void hevc10BitMovFromAPhoneGetsAn8BitH264LadderToItsSize() {
        SourceInfo hevc = new SourceInfo(1920, 1080, 59.94, true, 10);
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(hevc);
        assertThat(names(plan)).containsExactly("240p", "360p", "480p", "720p", "1080p");
        assertThat(plan).allMatch(r -> r.frameRate() == 59.94);
        assertThat(plan).extracting(r -> r.rung().profile()).containsExactly("baseline", "main", "main", "high", "high");
        assertSane(plan, hevc);
    }

    @Test
    void aCinemaScopeVp9WebmGetsItsOwnSizeAsTopRung() {
        SourceInfo scope = new SourceInfo(1920, 800, 24, true, 10);
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(scope);
        assertThat(names(plan)).containsExactly("240p", "360p", "480p", "720p", "800p");
        assertThat(sizes(plan)).containsExactly("576x240", "864x360", "1152x480", "1728x720", "1920x800");
        assertSane(plan, scope);
    }

    @Test
    void aVariableFrameRateRecordingWithMp3KeepsItsAverageRate() {
        SourceInfo vfr = new SourceInfo(1280, 720, 29.43, true, 10);
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(vfr);
        assertThat(names(plan)).containsExactly("240p", "360p", "480p", "720p");
        assertThat(plan).allMatch(r -> r.frameRate() == 29.43);
        assertSane(plan, vfr);
    }

    @Test
    void a4kSourceGets1440pAnd2160pRungs() {
        SourceInfo uhd = new SourceInfo(3840, 2160, 60, true, 10);
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(uhd);
        assertThat(names(plan)).containsExactly("240p", "360p", "480p", "720p", "1080p", "1440p", "2160p");
        assertThat(sizes(plan).subList(5, 7)).containsExactly("2560x1440", "3840x2160");
        assertThat(plan.get(5).level().name()).as("1440p60").isEqualTo("5.1");
        assertThat(plan.get(6).level().name()).as("2160p60").isEqualTo("5.2");
        assertSane(plan, uhd);
        assertThat(names(plan(7680, 4320, 30, true))).as("above the table: the whole table, downscaled")
                .endsWith("1440p", "2160p").hasSize(7);
    }

    @Test
    void a640x358Source444GetsItsOwnSizeAbove240p() {
        SourceInfo odd = new SourceInfo(640, 358, 30, true, 10);
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(odd);
        assertThat(names(plan)).containsExactly("240p", "358p");
        assertThat(sizes(plan)).containsExactly("430x240", "640x358");
        // almost the 360p rung: 358² is 98% of the way from 240² to 360²
        assertThat(plan.getLast().rung().videoKbps()).isEqualTo(792);
        assertThat(plan.getLast().rung().profile()).isEqualTo("main");
        assertSane(plan, odd);
    }
}
