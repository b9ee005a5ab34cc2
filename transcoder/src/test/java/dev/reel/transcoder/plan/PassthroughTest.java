package dev.reel.transcoder.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.transcoder.ffmpeg.AudioFacts;
import dev.reel.transcoder.ffmpeg.ProbedSource;
import dev.reel.transcoder.ffmpeg.SourceInfo;
import dev.reel.transcoder.ffmpeg.TimeBase;
import dev.reel.transcoder.ffmpeg.VideoFacts;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import dev.reel.transcoder.ladder.LadderTable;
import org.junit.jupiter.api.Test;

class PassthroughTest {

    private static final Passthrough.Limits LIMITS = new Passthrough.Limits(10, 2.0);
    private static final TimeBase TB = new TimeBase(1, 15_360);
    private static final AudioFacts STEREO_AAC = new AudioFacts(1, "aac", "LC", 2, 48_000, 128_000, 0);

    /** A phone's H.264: 30 fps, High 4.0, yuv420p. */
    private static VideoFacts h264() {
        return new VideoFacts(0, "h264", "High", 40, "yuv420p", "progressive", 0, 1.0, TB, 0);
    }

    /**
     * 60 s of frames at {@code fps}, a keyframe every {@code keyframeSeconds}, each frame {@code bitRate / fps / 8}
     * bytes.
     */
    private static VideoPackets packets(double fps, double keyframeSeconds, long bitRate) {
        int count = (int) Math.round(60 * fps);
        long[] pts = new long[count];
        int[] sizes = new int[count];
        boolean[] keys = new boolean[count];
        int gop = (int) Math.round(keyframeSeconds * fps);
        for (int i = 0; i < count; i++) {
            pts[i] = Math.round(i * 15_360 / fps);
            sizes[i] = (int) (bitRate / fps / 8);
            keys[i] = i % gop == 0;
        }
        return new VideoPackets(TB, pts, sizes, keys, Math.round(count * 15_360 / fps));
    }

    private static Passthrough decide(int width, int height, double fps, VideoFacts video, AudioFacts audio,
            VideoPackets packets) {
        ProbedSource source = new ProbedSource(new SourceInfo(width, height, fps, audio != null, 60), video, audio);
        return Passthrough.decide(source, packets, SegmentPlan.hlsMuxerCuts(packets, 4),
                LadderTable.DEFAULT.plan(source.info()), LIMITS);
    }

    private static Passthrough standard(long bitRate) {
        return decide(1920, 1080, 30, h264(), STEREO_AAC, packets(30, 2, bitRate));
    }

    @Test
    void aPhoneRecordingWithinTheTopRungsCapTakesItsPlace() {
        Passthrough p = standard(4_500_000);
        assertThat(p.possible()).as(p.obstacles().toString()).isTrue();
        assertThat(p.kept()).isTrue();
        assertThat(p.name()).isEqualTo("1080p");
        assertThat(p.peak()).isBetween(4_400_000L, 4_600_000L);
    }

    @Test
    void anOriginalAboveTheCapIsPlayedOnlyUntilTheLadderIsDone() {
        Passthrough p = standard(8_000_000); // over 1080p's 5.5 Mbit/s peak, within twice it
        assertThat(p.possible()).isTrue();
        assertThat(p.kept()).isFalse();
        assertThat(p.name()).isEqualTo(Passthrough.INTERIM_NAME);
    }

    @Test
    void anOriginalFarAboveTheCapWouldStallViewersAndIsNotPassedThrough() {
        assertThat(standard(12_000_000).obstacles()).singleElement().asString().contains("peak 12.0 Mbit/s");
    }

    @Test
    void keyframesFurtherApartThanTheBoundKeepAnOriginalFromBeingCopied() {
        assertThat(decide(1920, 1080, 30, h264(), STEREO_AAC, packets(30, 10, 4_000_000)).possible())
                .as("keyed every 10 s: 10 s segments").isTrue();
        assertThat(decide(1920, 1080, 30, h264(), STEREO_AAC, packets(30, 12, 4_000_000)).obstacles()).singleElement()
                .asString().contains("keyframes too far apart: a 12.0 s segment");
    }

    @Test
    void aSizeBetweenRungsIsKeptAsTheRungAtItsOwnSize() {
        Passthrough p = decide(1600, 900, 30, h264(), null, packets(30, 2, 3_000_000));
        assertThat(p.kept()).isTrue();
        assertThat(p.name()).isEqualTo("900p");
    }

    // The eight odd inputs of issue 14: none of them plays everywhere as it is, each for its own reason.

    @Test
    void portraitH264IsPlayableAsItIs() {
        Passthrough p = decide(1080, 1920, 30, h264(), STEREO_AAC, packets(30, 1, 4_000_000));
        assertThat(p.possible()).isTrue();
        assertThat(p.name()).isEqualTo("1080p");
    }

    @Test
    void aRotatedRecordingIsNot() {
        VideoFacts rotated = new VideoFacts(0, "h264", "High", 40, "yuv420p", "progressive", -90, 1.0, TB, 0);
        assertThat(decide(1080, 1920, 30, rotated, STEREO_AAC, packets(30, 1, 4_000_000)).obstacles()).singleElement()
                .asString().contains("rotated -90");
    }

    @Test
    void aSilentH264IsPlayableAsItIs() {
        assertThat(decide(1280, 720, 25, new VideoFacts(0, "h264", "Main", 31, "yuv420p", "progressive", 0, 1.0, TB, 0),
                null, packets(25, 2, 2_000_000)).kept()).isTrue();
    }

    @Test
    void hevc10BitMovIsNot() {
        VideoFacts hevc = new VideoFacts(0, "hevc", "Main 10", 123, "yuv420p10le", "progressive", 0, 1.0, TB, 0);
        assertThat(decide(1920, 1080, 30, hevc, STEREO_AAC, packets(30, 1, 8_000_000)).obstacles())
                .anyMatch(o -> o.contains("hevc, not H.264")).anyMatch(o -> o.contains("not 8-bit 4:2:0"));
    }

    @Test
    void vp9WithOpusIsNot() {
        VideoFacts vp9 = new VideoFacts(0, "vp9", "Profile 0", 0, "yuv420p", "progressive", 0, 1.0, new TimeBase(1, 1000), 0);
        AudioFacts opus = new AudioFacts(1, "opus", "", 2, 48_000, 0, 0);
        assertThat(decide(1920, 800, 24, vp9, opus, packets(24, 2, 3_000_000)).obstacles())
                .anyMatch(o -> o.contains("vp9, not H.264")).anyMatch(o -> o.contains("audio opus, not AAC-LC"));
    }

    @Test
    void mp3AudioIsNot() {
        AudioFacts mp3 = new AudioFacts(1, "mp3", "", 2, 44_100, 128_000, 0);
        assertThat(decide(1280, 720, 29.43, h264(), mp3, packets(29.43, 2, 2_000_000)).obstacles()).singleElement()
                .asString().contains("audio mp3, not AAC-LC");
    }

    @Test
    void h264In4kIsPlayableButAbove60FpsOrLevel52IsNot() {
        VideoFacts uhd = new VideoFacts(0, "h264", "High", 51, "yuv420p", "progressive", 0, 1.0, TB, 0);
        Passthrough p = decide(3840, 2160, 30, uhd, STEREO_AAC, packets(30, 1, 15_000_000));
        assertThat(p.kept()).as(p.obstacles().toString()).isTrue();
        assertThat(p.name()).isEqualTo("2160p");
        assertThat(decide(3840, 2160, 120, uhd, STEREO_AAC, packets(120, 1, 20_000_000)).obstacles())
                .anyMatch(o -> o.contains("120.00 fps"));
        VideoFacts level6 = new VideoFacts(0, "h264", "High", 60, "yuv420p", "progressive", 0, 1.0, TB, 0);
        assertThat(decide(3840, 2160, 30, level6, STEREO_AAC, packets(30, 1, 20_000_000)).obstacles())
                .anyMatch(o -> o.contains("level 60"));
    }

    @Test
    void h264In444IsNot() {
        VideoFacts yuv444 = new VideoFacts(0, "h264", "High 4:4:4 Predictive", 30, "yuv444p", "progressive", 0, 1.0, TB, 0);
        assertThat(decide(640, 358, 30, yuv444, STEREO_AAC, packets(30, 2, 800_000)).obstacles())
                .anyMatch(o -> o.contains("profile 'High 4:4:4 Predictive'")).anyMatch(o -> o.contains("yuv444p"));
    }

    @Test
    void otherObstacles() {
        assertThat(decide(1920, 1080, 30, new VideoFacts(0, "h264", "High", 40, "yuv420p", "tt", 0, 1.0, TB, 0), null,
                packets(30, 2, 4_000_000)).obstacles()).singleElement().asString().contains("interlaced");
        assertThat(decide(1920, 1080, 30, new VideoFacts(0, "h264", "High", 40, "yuv420p", "progressive", 0, 4 / 3.0, TB, 0),
                null, packets(30, 2, 4_000_000)).obstacles()).singleElement().asString().contains("non-square");
        assertThat(decide(1920, 1080, 30, h264(), new AudioFacts(1, "aac", "LC", 6, 48_000, 384_000, 0),
                packets(30, 2, 4_000_000)).obstacles()).singleElement().asString().contains("6 audio channels");
        assertThat(decide(1920, 1080, 30, h264(), new AudioFacts(1, "aac", "HE-AAC", 2, 48_000, 64_000, 0),
                packets(30, 2, 4_000_000)).obstacles()).singleElement().asString().contains("not AAC-LC");
        assertThat(decide(1920, 1080, 30, h264(), new AudioFacts(1, "aac", "LC", 2, 48_000, 128_000, 0.5),
                packets(30, 2, 4_000_000)).obstacles()).singleElement().asString().contains("audio starts 0.500 s away");
    }

    @Test
    void theLikelyNameFromTheStreamsAloneIsTheDecisionsUnlessThePacketsSayOtherwise() {
        ProbedSource phone = new ProbedSource(new SourceInfo(1920, 1080, 30, true, 60), h264(), STEREO_AAC);
        var ladder = LadderTable.DEFAULT.plan(phone.info());
        assertThat(Passthrough.likelyName(phone, ladder)).contains(standard(4_500_000).name()).contains("1080p");
        // the packets may still give it another name (a peak over the rung's cap) or rule it out (keyframes)
        assertThat(standard(8_000_000).name()).isEqualTo(Passthrough.INTERIM_NAME);

        ProbedSource between = new ProbedSource(new SourceInfo(1600, 900, 30, true, 60), h264(), STEREO_AAC);
        assertThat(Passthrough.likelyName(between, LadderTable.DEFAULT.plan(between.info())))
                .contains(decide(1600, 900, 30, h264(), STEREO_AAC, packets(30, 2, 1_000_000)).name());

        VideoFacts hevc = new VideoFacts(0, "hevc", "Main", 120, "yuv420p", "progressive", 0, 1.0, TB, 0);
        ProbedSource phoneHevc = new ProbedSource(new SourceInfo(1920, 1080, 30, true, 60), hevc, STEREO_AAC);
        assertThat(Passthrough.likelyName(phoneHevc, ladder)).isEmpty();
        ProbedSource mp3 = new ProbedSource(new SourceInfo(1920, 1080, 30, true, 60), h264(),
                new AudioFacts(1, "mp3", "", 2, 44_100, 128_000, 0));
        assertThat(Passthrough.likelyName(mp3, ladder)).isEmpty();
    }
}
