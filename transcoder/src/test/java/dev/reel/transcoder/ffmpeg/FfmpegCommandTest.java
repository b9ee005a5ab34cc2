package dev.reel.transcoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.ladder.PlannedRendition;
import dev.reel.transcoder.plan.SegmentPlan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FfmpegCommandTest {

    private static final EncoderSettings SETTINGS = new EncoderSettings("ffmpeg", "ffprobe", "veryfast", 2, 4, 0);
    private static final String INPUT = "http://s3/originals/v/source?sig";
    private static final Path OUT = Path.of("/tmp/job");
    private static final TimeBase TB = new TimeBase(1, 15_360);

    private static ProbedSource source(int width, int height, double fps, boolean audio) {
        return new ProbedSource(new SourceInfo(width, height, fps, audio, 12),
                new VideoFacts(1, "h264", "High", 40, "yuv420p", "progressive", 0, 1.0, TB, 0),
                audio ? new AudioFacts(2, "aac", "LC", 2, 48_000, 128_000, 0) : null);
    }

    /** Cut at 0, 4.8 and 9.6 s of 12 s, as a copy of an original keyed every 2.4 s is. */
    private static final SegmentPlan CUTS = new SegmentPlan(TB, List.of(0L, 73_728L, 147_456L), 184_320L);

    private static String ladder(ProbedSource source, String audio) {
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(source.info());
        return String.join(" ", FfmpegCommand.ladder(INPUT, source, plan, CUTS, audio, SETTINGS, OUT));
    }

    @Test
    void theLadderDecodesOnceScalesRungByRungAndKeysExactlyAtTheCuts() {
        String cmd = ladder(source(1280, 720, 25, true), "audio");
        assertThat(cmd).startsWith("ffmpeg -copyts ").containsOnlyOnce(" -i ")
                .contains("[0:1]scale=1280:720:flags=lanczos,setsar=1,split=2[v3][c3]",
                        "[c3]scale=854:480:flags=lanczos,setsar=1,split=2[v2][c2]",
                        "[c1]scale=426:240:flags=lanczos,setsar=1[v0]")
                .contains("-map [v0] -map [v1] -map [v2] -map [v3]")
                .contains("-var_stream_map v:0,name:240p v:1,name:360p v:2,name:480p v:3,name:720p")
                .contains("-profile:v:0 baseline -level:v:0 2.1", "-profile:v:3 high -level:v:3 3.1")
                .contains("-b:v:1 800k -maxrate:v:1 880k -bufsize:v:1 1600k")
                // a GOP longer than the longest segment (4.8 s at 25 fps), scene cuts off: keyframes only where forced
                .contains("-g 122 -sc_threshold 0 -force_key_frames 0us,4800000us,9600000us -fps_mode passthrough")
                .contains("-hls_time 0.001", "-hls_segment_options movflags=+negative_cts_offsets",
                        "-hls_playlist_type event", "-hls_segment_type fmp4", "-start_number 1", "/tmp/job/%v/seg-%05d.m4s")
                .contains("-rw_timeout 30000000", "-progress pipe:1", "-threads 2").doesNotContain("-readrate", "[0:v]");
        // the audio once, as its own output: AAC on the video's clock, cut every 4 s, ending with the video
        assertThat(cmd.substring(cmd.indexOf("-map 0:2"))).startsWith(
                "-map 0:2 -c:a aac -ac 2 -ar 48000 -b:a 128k -af aresample=48000:async=1:first_pts=0,apad,atrim=end=12000000us"
                        + " -avoid_negative_ts disabled -f hls"
                        + " -hls_time 4")
                .contains("/tmp/job/audio/seg-%05d.m4s /tmp/job/audio/index.m3u8");
        assertThat(cmd).containsOnlyOnce("-map 0:2");
    }

    @Test
    void withTheAudioCopiedOrAbsentTheLadderEncodesPicturesOnly() {
        assertThat(ladder(source(1280, 720, 25, true), null)).doesNotContain("0:2", "-c:a", "aac");
        assertThat(ladder(source(640, 360, 30, false), null)).doesNotContain("-c:a")
                .contains("-var_stream_map v:0,name:240p v:1,name:360p");
    }

    @Test
    void aFastSourceIsBroughtDownBeforeTheScaling() {
        assertThat(ladder(source(1280, 720, 120, false), null)).contains("[0:1]fps=60,scale=1280:720");
    }

    @Test
    void thePassthroughCopiesVideoAndAudioWithoutDecodingCutByTheHlsMuxer() {
        String cmd = String.join(" ", FfmpegCommand.remux(INPUT, source(1920, 1080, 30, true), "source", "audio", SETTINGS,
                OUT));
        assertThat(cmd).startsWith("ffmpeg -copyts ")
                .contains("-map 0:1 -map 0:2 -c copy -avoid_negative_ts disabled -f hls -hls_time 4 ",
                        "-var_stream_map v:0,name:source a:0,name:audio", "-hls_segment_options movflags=+negative_cts_offsets")
                .doesNotContain("libx264", "-filter_complex");
        assertThat(String.join(" ", FfmpegCommand.remux(INPUT, source(1920, 1080, 30, false), "1080p", "audio", SETTINGS,
                OUT))).contains("-map 0:1 -c copy").contains("-var_stream_map v:0,name:1080p /tmp");
    }

    @Test
    void thePosterIsOneFrameATthirdInAtTheTopRungsSize() {
        ProbedSource source = source(1280, 720, 25, true);
        String cmd = String.join(" ", FfmpegCommand.poster(INPUT, source, LadderTable.DEFAULT.plan(source.info()).getLast(),
                SETTINGS, OUT.resolve("thumb.jpg")));
        assertThat(cmd).contains("-ss 4 -i " + INPUT, "-map 0:1 -frames:v 1 -vf scale=1280:720,setsar=1",
                "/tmp/job/thumb.jpg");
    }
}
