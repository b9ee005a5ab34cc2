package dev.reel.ingest.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FfprobeReportTest {

    private static final String VIDEO_WITH_AUDIO = """
            {"streams": [
              {"codec_name": "h264", "codec_type": "video", "width": 320, "height": 240, "duration": "10.000000", "disposition": {"attached_pic": 0}},
              {"codec_name": "aac", "codec_type": "audio", "duration": "10.010000", "disposition": {"attached_pic": 0}}],
             "format": {"filename": "http://s3/originals/v/source?X-Amz-Signature=secret", "format_name": "mov,mp4,m4a,3gp,3g2,mj2",
              "duration": "10.010000"}}
            """;

    @Test
    void aVideoWithAudioIsPlayableWithItsFacts() {
        ProbeResult result = FfprobeReport.interpret(0, VIDEO_WITH_AUDIO, "");
        assertThat(result).isInstanceOf(ProbeResult.Playable.class);
        ProbeResult.Playable playable = (ProbeResult.Playable) result;
        assertThat(playable.facts()).isEqualTo(new VideoFacts(10.01, 320, 240, "h264", "aac"));
        // ffprobe's answer is kept for the transcoder, which plans from it, without the presigned URL it read
        assertThat(playable.json()).contains("\"codec_name\":\"aac\"", "\"format_name\":\"mov,mp4,m4a,3gp,3g2,mj2\"")
                .doesNotContain("filename", "Signature");
    }

    @Test
    void aVideoWithoutAudioHasNoAudioCodec() {
        String json = """
                {"streams": [{"codec_name": "vp9", "codec_type": "video", "width": 640, "height": 360}],
                 "format": {"duration": "3.5"}}""";
        assertThat(FfprobeReport.interpret(0, json, ""))
                .extracting(r -> ((ProbeResult.Playable) r).facts()).isEqualTo(new VideoFacts(3.5, 640, 360, "vp9", null));
    }

    @Test
    void audioOnlyAndCoverArtAreNotVideos() {
        String audio = """
                {"streams": [{"codec_name": "mp3", "codec_type": "audio"},
                  {"codec_name": "mjpeg", "codec_type": "video", "width": 500, "height": 500, "disposition": {"attached_pic": 1}}],
                 "format": {"duration": "180.0"}}""";
        assertThat(FfprobeReport.interpret(0, audio, ""))
                .isEqualTo(new ProbeResult.Rejected(422, "the file has no video stream (audio only)"));
    }

    @Test
    void aVideoWithoutDurationIsRejected() {
        String json = """
                {"streams": [{"codec_name": "png", "codec_type": "video", "width": 10, "height": 10}], "format": {"duration": "N/A"}}""";
        assertThat(FfprobeReport.interpret(0, json, "")).isEqualTo(new ProbeResult.Rejected(422, "the video has no duration"));
    }

    @Test
    void failuresAreSortedIntoNotMediaAndBrokenMedia() {
        assertThat(FfprobeReport.interpret(1, "{}",
                "http://127.0.0.1:9000/reel/originals/x/source?X-Amz-Signature=abc: Invalid data found when processing input"))
                .isEqualTo(new ProbeResult.Rejected(415, "the file is not a video in any format ffprobe knows"));
        ProbeResult truncated = FfprobeReport.interpret(1, "{}",
                "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0c8] moov atom not found\nhttp://h/x?X-Amz-Signature=s: Invalid data found when processing input");
        assertThat(truncated).isInstanceOf(ProbeResult.Rejected.class);
        assertThat(((ProbeResult.Rejected) truncated).status()).isEqualTo(422);
        assertThat(((ProbeResult.Rejected) truncated).reason()).contains("truncated").contains("moov atom not found")
                .doesNotContain("0x55d0c8");
        ProbeResult other = FfprobeReport.interpret(1, "", "http://h/x?X-Amz-Signature=secret: Server returned 403 Forbidden");
        assertThat(((ProbeResult.Rejected) other).reason()).doesNotContain("secret").contains("<object>");
    }
}
