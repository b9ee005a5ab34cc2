package dev.reel.transcoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceProbeTest {

    private static ProbedSource describe(String json) throws Exception {
        return SourceProbe.describe(new ObjectMapper().readTree(json));
    }

    @Test
    void describesTheStreamsThePassthroughDecisionNeeds() throws Exception {
        ProbedSource source = describe("""
                {"streams": [
                  {"index": 0, "codec_type": "video", "codec_name": "h264", "profile": "High", "level": 40,
                   "pix_fmt": "yuv420p", "field_order": "progressive", "width": 1920, "height": 1080,
                   "time_base": "1/15360", "start_time": "0.000000", "avg_frame_rate": "30/1", "r_frame_rate": "30/1"},
                  {"index": 1, "codec_type": "audio", "codec_name": "aac", "profile": "LC", "channels": 2,
                   "sample_rate": "48000", "bit_rate": "128000", "start_time": "0.000000"}],
                 "format": {"duration": "60.000000"}}
                """);
        assertThat(source.info()).isEqualTo(new SourceInfo(1920, 1080, 30, true, 60));
        assertThat(source.video()).isEqualTo(new VideoFacts(0, "h264", "High", 40, "yuv420p", "progressive", 0, 1.0,
                new TimeBase(1, 15_360), 0));
        assertThat(source.audio()).isEqualTo(new AudioFacts(1, "aac", "LC", 2, 48_000, 128_000, 0));
    }

    @Test
    void aRotatedPhoneVideoIsDescribedAsDisplayedAndCoverArtIsNotTheVideo() throws Exception {
        ProbedSource source = describe("""
                {"streams": [
                  {"index": 0, "codec_type": "video", "codec_name": "mjpeg", "width": 600, "height": 600,
                   "disposition": {"attached_pic": 1}},
                  {"index": 1, "codec_type": "video", "codec_name": "hevc", "profile": "Main 10", "level": 123,
                   "pix_fmt": "yuv420p10le", "width": 1920, "height": 1080, "time_base": "1/600",
                   "avg_frame_rate": "30/1", "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]}],
                 "format": {"duration": "12.5"}}
                """);
        assertThat(source.info().width() + "x" + source.info().height()).isEqualTo("1080x1920");
        assertThat(source.video().index()).isEqualTo(1);
        assertThat(source.video().rotation()).isEqualTo(-90);
        assertThat(source.hasAudio()).isFalse();
    }

    @Test
    void anAnamorphicSourceIsWidenedToItsDisplayedWidth() throws Exception {
        ProbedSource source = describe("""
                {"streams": [{"index": 0, "codec_type": "video", "codec_name": "mpeg2video", "width": 720, "height": 480,
                  "sample_aspect_ratio": "32:27", "time_base": "1/90000", "avg_frame_rate": "30000/1001"}],
                 "format": {"duration": "10"}}
                """);
        assertThat(source.info().width()).isEqualTo(853);
        assertThat(source.video().sampleAspect()).isCloseTo(32 / 27.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void noVideoStreamIsAClearFailure() {
        assertThatThrownBy(() -> describe("""
                {"streams": [{"index": 0, "codec_type": "audio", "codec_name": "mp3"}], "format": {"duration": "3"}}
                """)).isInstanceOf(TranscodeException.class).hasMessageContaining("no video stream");
    }

    @Test
    void readsThePacketListInDecodeOrder() throws Exception {
        VideoPackets packets = SourceProbe.parsePackets("""
                pts=0|dts=-1024|duration=512|size=61748|flags=K_
                pts=1536|dts=-512|duration=512|size=47308|flags=__
                pts=512|dts=0|duration=512|size=1200|flags=__
                pts=N/A|dts=N/A|duration=512|size=10|flags=__
                pts=1024|dts=512|duration=512|size=1300|flags=__
                pts=2048|dts=1024|duration=512|size=60000|flags=K_
                """, new TimeBase(1, 15_360));
        assertThat(packets.count()).as("a packet without any timestamp is left out").isEqualTo(5);
        assertThat(packets.keyframeTimes()).containsExactly(0L, 2048L);
        assertThat(packets.start()).isZero();
        assertThat(packets.end()).as("the last frame's timestamp plus its duration").isEqualTo(2560);
        assertThat(packets.startsWithKeyframe()).isTrue();
        assertThatThrownBy(() -> SourceProbe.parsePackets("\n", new TimeBase(1, 1000))).isInstanceOf(TranscodeException.class);
    }

    @Test
    void thePacketListingStartedBeforeTheStreamsAreKnownIsTheVideoStreamsOrListedAgain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audio-first.mp4");
        // the audio is stream 0 and the video stream 1: the early listing must find the video all the same
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=160x90:rate=25", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", "-map", "1:a", "-map",
                "0:v", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", file.toString())
                .redirectErrorStream(true).start();
        assertThat(ffmpeg.waitFor()).as(new String(ffmpeg.getInputStream().readAllBytes())).isZero();
        SourceProbe probe = new SourceProbe("ffprobe");
        ProbedSource source = probe.probe(file.toString());
        assertThat(source.video().index()).isEqualTo(1);
        VideoPackets listed = probe.packets(file.toString(), source.video());
        assertThat(listed.keyframeTimes()).hasSize(2);

        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<String> early = probe.startPacketListing(file.toString(), executor);
            assertThat(early.get()).startsWith("stream_index=1|");
            for (CompletableFuture<String> listing : List.of(early,
                    CompletableFuture.completedFuture("stream_index=0|pts=0|dts=0|duration=1024|size=10|flags=K_\n"),
                    CompletableFuture.<String>failedFuture(new TranscodeException("ffprobe failed")))) {
                VideoPackets packets = probe.packets(file.toString(), source.video(), listing);
                assertThat(packets.pts()).isEqualTo(listed.pts());
                assertThat(packets.keyframes()).isEqualTo(listed.keyframes());
                assertThat(packets.end()).isEqualTo(listed.end());
            }
        }
    }
}
