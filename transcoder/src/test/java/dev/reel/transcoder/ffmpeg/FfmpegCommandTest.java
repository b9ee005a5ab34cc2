package dev.reel.transcoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.events.ChunkRequested;
import dev.reel.events.RenditionKind;
import dev.reel.events.StoryboardTiles;
import dev.reel.events.TaskRendition;
import dev.reel.transcoder.ladder.LadderTable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FfmpegCommandTest {

    private static final EncoderSettings SETTINGS = new EncoderSettings("ffmpeg", "ffprobe", "veryfast", 2, 4, 0);
    private static final String INPUT = "http://s3/originals/v/source?sig";
    private static final Path OUT = Path.of("/tmp/job");
    private static final TimeBase TB = new TimeBase(1, 15_360);

    private static ProbedSource source(int width, int height, double fps, boolean audio) {
        // stream 1 is the video, 2 the audio
        return new ProbedSource(new SourceInfo(width, height, fps, audio, 12),
                new VideoFacts(1, "h264", "High", 40, "yuv420p", "progressive", 0, 1.0, TB, 0),
                audio ? new AudioFacts(2, "aac", "LC", 2, 48_000, 128_000, 0) : null);
    }

    private static final TaskRendition R240 = new TaskRendition("240p", RenditionKind.VIDEO, 1, 426, 240, 25, "baseline",
            "2.1", 400, 440, 800);
    private static final TaskRendition R480 = new TaskRendition("480p", RenditionKind.VIDEO, 1, 854, 480, 25, "main", "3.1",
            1400, 1540, 2800);
    private static final TaskRendition R720 = new TaskRendition("720p", RenditionKind.VIDEO, 1, 1280, 720, 25, "high", "3.1",
            2800, 3080, 5600);

    /** A chunk of a 12 s video whose time base is 1/15360 s. */
    private static ChunkRequested chunk(List<TaskRendition> rungs, double sourceFps, long start, long end, List<Long> cuts,
            int firstSegment) {
        return new ChunkRequested("vid", "p1", 1, 3, "originals/vid/source", 1, 15_360, sourceFps, 0, start, end, cuts,
                firstSegment, rungs, "veryfast");
    }

    private static String command(ChunkRequested task, EncoderSettings settings) {
        return String.join(" ", FfmpegCommand.chunk(INPUT, task, settings, OUT));
    }

    @Test
    void aChunkDecodesItsPartOnceScalesRungByRungAndKeysExactlyAtItsCuts() {
        String cmd = command(chunk(List.of(R240, R480, R720), 25, 73_728L, 184_320L, List.of(73_728L, 147_456L), 2), SETTINGS);
        assertThat(cmd).startsWith("ffmpeg -copyts ").containsOnlyOnce(" -i ")
                .contains("-ss 4800000us -to 12000000us -i " + INPUT)
                .contains("[0:1]scale=1280:720:flags=lanczos,setsar=1,split=2[v2][c2]",
                        "[c2]scale=854:480:flags=lanczos,setsar=1,split=2[v1][c1]",
                        "[c1]scale=426:240:flags=lanczos,setsar=1[v0]")
                .contains("-map [v0] -map [v1] -map [v2]")
                .contains("-var_stream_map v:0,name:240p v:1,name:480p v:2,name:720p")
                .contains("-profile:v:0 baseline -level:v:0 2.1", "-profile:v:2 high -level:v:2 3.1")
                .contains("-b:v:1 1400k -maxrate:v:1 1540k -bufsize:v:1 2800k")
                // keyed only where told: forced at the cuts, scene cuts off, a GOP longer than a segment (4.8 s at 25 fps)
                .contains("-g 122 -sc_threshold 0 -force_key_frames 4800000us,9600000us -fps_mode passthrough")
                .contains("-hls_time 0.001", "-hls_segment_options movflags=+negative_cts_offsets",
                        "-hls_playlist_type event", "-hls_segment_type fmp4", "-start_number 2", "/tmp/job/%v/seg-%05d.m4s")
                .contains("-rw_timeout 30000000", "-progress pipe:1", "-threads 2", "-benchmark")
                .doesNotContain("-readrate", "[0:v]", "-c:a", "nice");
    }

    @Test
    void theFirstChunkStartsAtTheBeginningAndAMiddleOneEndsBeforeTheNext() {
        String first = command(chunk(List.of(R240), 25, 0, 73_728L, List.of(0L), 1), SETTINGS);
        assertThat(first).doesNotContain("-ss ").contains("-to 4800000us -i ", "-force_key_frames 0us -fps_mode",
                "-start_number 1");
        assertThat(command(chunk(List.of(R240), 120, 0, 184_320L, List.of(0L), 1), SETTINGS)).as("120 fps brought down to 25")
                .contains("[0:1]fps=25,scale=426:240");
    }

    @Test
    void encodesRunAtTheWorkersNiceness() {
        EncoderSettings niced = new EncoderSettings("ffmpeg", "ffprobe", "veryfast", 0, 4, 0, 10);
        assertThat(command(chunk(List.of(R240), 25, 0, 184_320L, List.of(0L), 1), niced)).startsWith("nice -n 10 ffmpeg -copyts")
                .doesNotContain("-threads");
    }

    @Test
    void theAudioIsEncodedOnceOnTheVideosClockEndingWithIt() {
        ChunkRequested audio = new ChunkRequested("vid", "p1", 0, 3, "originals/vid/source", 1, 15_360, 25, 15_360, 15_360,
                199_680L, List.of(15_360L), 1,
                List.of(new TaskRendition("audio", RenditionKind.AUDIO, 2, 0, 0, 0, null, null, 128, 0, 0)), "veryfast");
        String cmd = String.join(" ", FfmpegCommand.audio(INPUT, audio, SETTINGS, OUT));
        // the video starts at 1 s (48000 samples in) and ends at 13 s
        assertThat(cmd).startsWith("ffmpeg -copyts ").contains("-i " + INPUT + " -map 0:2 -c:a aac -ac 2 -ar 48000 -b:a 128k "
                + "-af aresample=48000:async=1:first_pts=48000,apad,atrim=end=13000000us -avoid_negative_ts disabled -f hls "
                + "-hls_time 4").contains("/tmp/job/audio/seg-%05d.m4s /tmp/job/audio/index.m3u8")
                .doesNotContain("-ss ", "libx264");
        assertThatThrownBy(() -> FfmpegCommand.chunk(INPUT, audio, SETTINGS, OUT)).hasMessageContaining("encodes the audio");
    }

    @Test
    void audioThatPlaysEverywhereIsCopiedNotEncoded() {
        ChunkRequested audio = new ChunkRequested("vid", "p1", 0, 3, "originals/vid/source", 1, 15_360, 25, 15_360, 15_360,
                199_680L, List.of(15_360L), 1,
                List.of(new TaskRendition("audio", RenditionKind.AUDIO, 2, 0, 0, 0, null, null, 128, 0, 0, true)), "veryfast");
        String cmd = String.join(" ", FfmpegCommand.audio(INPUT, audio, SETTINGS, OUT));
        assertThat(cmd).contains("-i " + INPUT + " -map 0:2 -c:a copy -avoid_negative_ts disabled -f hls -hls_time 4")
                .contains("/tmp/job/audio/seg-%05d.m4s /tmp/job/audio/index.m3u8").doesNotContain("-b:a", "aresample");
        assertThatThrownBy(() -> new TaskRendition("240p", RenditionKind.VIDEO, 0, 426, 240, 30, "main", "3.0", 400, 440, 800,
                true)).hasMessageContaining("only audio is copied");
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
    void theDecodeCheckDecodesTheFirstSecondOfTheFirstVideoThatIsNotAPictureWithoutAProbe() {
        String cmd = String.join(" ", FfmpegCommand.decodeCheck(INPUT, 1, SETTINGS));
        // the stream the probe and the packet listing pick (V: no attached picture), so it can run beside them
        assertThat(cmd).startsWith("ffmpeg ").contains("-xerror", "-t 1 -i " + INPUT + " -map 0:V:0 -f null -");
    }

    @Test
    void thePosterIsOneFrameATthirdInAtTheTopRungsSize() {
        ProbedSource source = source(1280, 720, 25, true);
        String cmd = String.join(" ", FfmpegCommand.poster(INPUT, source, LadderTable.DEFAULT.plan(source.info()).getLast(),
                SETTINGS, OUT.resolve("thumb.jpg")));
        assertThat(cmd).contains("-ss 4 -i " + INPUT, "-map 0:1 -frames:v 1 -vf scale=1280:720,setsar=1",
                "/tmp/job/thumb.jpg");
    }

    @Test
    void aChunkWithStoryboardTilesSplitsItsDecodeToSelectThoseFramesByTimestampIntoNumberedJpegs() {
        StoryboardTiles tiles = new StoryboardTiles(3, List.of(76_800L, 107_520L), 160, 90);
        ChunkRequested task = new ChunkRequested("vid", "p1", 1, 3, "originals/vid/source", 1, 15_360, 50, 0, 73_728L,
                184_320L, List.of(73_728L, 147_456L), 2, List.of(R240, R720), "veryfast", tiles);
        String cmd = command(task, SETTINGS);
        assertThat(cmd).containsOnlyOnce(" -i ")
                // the tiles branch leaves before the rate change: it selects the original's frames by their timestamps
                .contains("[0:1]split=2[ladder][sb];[sb]select='eq(pts,76800)+eq(pts,107520)',scale=160:90:flags=area,"
                        + "setsar=1[tiles];[ladder]fps=25,scale=1280:720")
                .endsWith("-map [tiles] -c:v mjpeg -pix_fmt yuvj420p -q:v 4 -fps_mode passthrough -f image2 -start_number 3 "
                        + OUT.resolve("storyboard-tiles").resolve("tile-%05d.jpg"));
        assertThat(command(chunk(List.of(R240), 25, 0, 73_728L, List.of(0L), 1), SETTINGS)).doesNotContain("select", "mjpeg");

        String alone = String.join(" ", FfmpegCommand.tiles(INPUT, source(320, 240, 25, false), tiles, SETTINGS, OUT));
        assertThat(alone).contains("-filter_complex [0:1]select='eq(pts,76800)+eq(pts,107520)',scale=160:90:flags=area,"
                + "setsar=1[tiles] -threads 2 -map [tiles]").doesNotContain("libx264");
    }
}
