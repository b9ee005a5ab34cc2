package dev.reel.transcoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.ladder.PlannedRendition;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FfmpegCommandTest {

    private static final EncoderSettings SETTINGS = new EncoderSettings("ffmpeg", "ffprobe", "veryfast", 2, 4, 0);

    private static String command(SourceInfo source) {
        List<PlannedRendition> plan = LadderTable.DEFAULT.plan(source);
        return String.join(" ",
                FfmpegCommand.build("http://s3/originals/v/source?sig", source, plan, SETTINGS, Path.of("/tmp/job")));
    }

    @Test
    void decodesOnceAndScalesDownTheLadderRungByRung() {
        String cmd = command(new SourceInfo(1280, 720, 25, true, 12));
        assertThat(cmd).containsOnlyOnce(" -i ")
                .contains("[0:v]split=2[c4][sp]", "[c4]scale=1280:720:flags=lanczos,setsar=1,split=2[v3][c3]",
                        "[c3]scale=854:480:flags=lanczos,setsar=1,split=2[v2][c2]",
                        "[c1]scale=426:240:flags=lanczos,setsar=1[v0]",
                        "select='gte(t,4)'")
                .contains("-var_stream_map v:0,a:0,name:240p v:1,a:1,name:360p v:2,a:2,name:480p v:3,a:3,name:720p")
                .contains("-profile:v:0 baseline -level:v:0 2.1", "-profile:v:3 high -level:v:3 3.1")
                .contains("-b:v:1 800k -maxrate:v:1 880k -bufsize:v:1 1600k", "-b:a:3 128k")
                .contains("-g 100 -keyint_min 100 -sc_threshold 0 -force_key_frames expr:gte(t,n_forced*4)")
                .contains("-hls_time 4", "-hls_playlist_type event", "-hls_segment_type fmp4", "-start_number 1",
                        "/tmp/job/%v/seg-%05d.m4s")
                .contains("-rw_timeout 30000000", "-progress pipe:1", "-threads 2", "-frames:v 1 -update 1")
                .doesNotContain("-readrate");
        assertThat(cmd.split(" -map 0:a:0", -1)).hasSize(5);
    }

    @Test
    void aVideoWithoutAudioMapsNoAudio() {
        String cmd = command(new SourceInfo(640, 360, 30, false, 6));
        assertThat(cmd).doesNotContain("0:a", "-c:a", "-b:a").contains("-var_stream_map v:0,name:240p v:1,name:360p");
    }

    @Test
    void aFastSourceIsBroughtDownBeforeTheSplit() {
        assertThat(command(new SourceInfo(1280, 720, 120, true, 6))).contains("[0:v]fps=60,split=");
    }
}
