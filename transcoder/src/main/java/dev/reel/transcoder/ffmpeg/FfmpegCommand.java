package dev.reel.transcoder.ffmpeg;

import dev.reel.transcoder.ladder.PlannedRendition;
import dev.reel.transcoder.ladder.Rung;
import dev.reel.transcoder.plan.SegmentPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * The ffmpeg commands of a job. Every one writes fMP4 (CMAF-style) HLS, one folder per rendition under
 * {@code outputDir}: {@code <name>/index.m3u8}, {@code <name>/init.mp4} (or {@code init_<i>.mp4} when ffmpeg writes
 * several variants; the uploader stores it as {@code init.mp4}) and {@code <name>/seg-00001.m4s}...
 *
 * <ul>
 *   <li>{@link #remux}: the passthrough, a copy of the original's video (and its AAC audio, as the audio rendition)
 *       with no decode, cut where ffmpeg's HLS muxer cuts a copy ({@link SegmentPlan#hlsMuxerCuts}).</li>
 *   <li>{@link #ladder}: one decode of the original scaled down the ladder rung by rung (a cascade), each rung keyed
 *       exactly at the plan's cut points and nowhere else, so every rendition (the passthrough included) switches at
 *       the same instants; and, when the audio is not copied, the audio rendition encoded once.</li>
 *   <li>{@link #poster}: one frame.</li>
 * </ul>
 *
 * <p>Timestamps: every command keeps the original's ({@code -copyts}), so the plan's cut points, in the original's
 * ticks, are where the ladder keys, and every rendition presents a frame at the instant the original does. The MP4
 * muxer writes composition offsets that may be negative ({@code negative_cts_offsets}), so a frame's presentation time
 * does not depend on the encoder's or the original's frame reordering delay; audio keeps its AAC priming before the
 * first frame ({@code -avoid_negative_ts disabled}) rather than pushing the pictures later.
 */
public final class FfmpegCommand {

    /** Printf pattern of segment file names: 5 digits, numbered from 1. */
    public static final String SEGMENT_PATTERN = "seg-%05d.m4s";
    /** Bit rate of the one audio rendition (AAC-LC, 48 kHz stereo) when the original's audio is encoded. */
    public static final int AUDIO_KBPS = 128;
    /** Segment options of every HLS output: presentation starts at zero without an edit list. */
    private static final String SEGMENT_OPTIONS = "movflags=+negative_cts_offsets";
    /**
     * {@code -hls_time} of an encoded output: the muxer cuts at the first keyframe past {@code hls_time} times the
     * segments written so far, so a tiny value cuts at every keyframe, and the encoder keys only at the cut points.
     */
    private static final String CUT_AT_EVERY_KEYFRAME = "0.001";

    private FfmpegCommand() {
    }

    /**
     * The passthrough: the original's video stream copied into {@code <videoName>/}, and its audio stream, if any,
     * copied into {@code <audioName>/}, each cut by the HLS muxer every {@code segmentSeconds} at the next keyframe.
     */
    public static List<String> remux(String input, ProbedSource source, String videoName, String audioName,
            EncoderSettings settings, Path outputDir) {
        List<String> cmd = start(input, settings);
        cmd.add(1, "-copyts"); // the original's timestamps, as the ladder keeps them
        cmd.addAll(List.of("-map", "0:" + source.video().index()));
        if (source.hasAudio()) {
            cmd.addAll(List.of("-map", "0:" + source.audio().index()));
        }
        // as they are: the AAC priming before the video's first frame must not push the video later
        cmd.addAll(List.of("-c", "copy", "-avoid_negative_ts", "disabled"));
        String map = "v:0,name:" + videoName + (source.hasAudio() ? " a:0,name:" + audioName : "");
        cmd.addAll(hls(Integer.toString(settings.segmentSeconds()), 1, outputDir, map));
        return List.copyOf(cmd);
    }

    /**
     * The encoded ladder: decode the original once, scale it down the rungs (each from the one above it, lanczos), and
     * encode each rung keyed at exactly the plan's cut points; with {@code audioName}, the audio too, encoded once into
     * its own rendition, its start and end matched to the video's (silence added or samples dropped), so audio and
     * video last the same.
     *
     * @param rungs     the renditions to encode, lowest first; not empty
     * @param audioName the audio rendition's name, or {@code null} when the audio is copied or there is none
     */
    public static List<String> ladder(String input, ProbedSource source, List<PlannedRendition> rungs, SegmentPlan cuts,
            String audioName, EncoderSettings settings, Path outputDir) {
        if (rungs.isEmpty()) {
            throw new IllegalArgumentException("a ladder encode needs at least one rung");
        }
        List<String> cmd = start(input, settings);
        cmd.add(1, "-copyts"); // the plan's cut points are the original's timestamps
        int count = rungs.size();
        double frameRate = rungs.getFirst().frameRate();
        cmd.addAll(List.of("-filter_complex", filterGraph(source, rungs)));
        for (int i = 0; i < count; i++) {
            cmd.addAll(List.of("-map", "[v" + i + "]"));
        }
        cmd.addAll(List.of("-c:v", "libx264", "-preset", settings.preset(), "-pix_fmt", "yuv420p"));
        if (settings.threads() > 0) {
            cmd.addAll(List.of("-threads", Integer.toString(settings.threads())));
        }
        for (int i = 0; i < count; i++) {
            PlannedRendition r = rungs.get(i);
            Rung rung = r.rung();
            cmd.addAll(List.of(
                    "-profile:v:" + i, rung.profile(), "-level:v:" + i, r.level().name(),
                    "-b:v:" + i, rung.videoKbps() + "k",
                    "-maxrate:v:" + i, rung.maxrateKbps() + "k",
                    "-bufsize:v:" + i, rung.bufsizeKbps() + "k"));
        }
        // Keyframes exactly at the cut points: forced there, never added by scene cuts, and a GOP longer than the
        // longest segment so the encoder adds none in between.
        int gop = (int) Math.ceil(cuts.maxSeconds() * frameRate) + 2;
        cmd.addAll(List.of("-g", Integer.toString(gop), "-sc_threshold", "0", "-force_key_frames",
                cuts.keyframeMicros().stream().map(us -> us + "us").collect(Collectors.joining(",")),
                "-fps_mode", "passthrough"));
        StringJoiner map = new StringJoiner(" ");
        for (int i = 0; i < count; i++) {
            map.add("v:" + i + ",name:" + rungs.get(i).name());
        }
        cmd.addAll(hls(CUT_AT_EVERY_KEYFRAME, 1, outputDir, map.toString()));
        if (audioName != null) {
            cmd.addAll(audio(source, cuts, settings, outputDir, audioName));
        }
        return List.copyOf(cmd);
    }

    /** One frame a little into the video (the first frames are often black), at the size of {@code top}. */
    public static List<String> poster(String input, ProbedSource source, PlannedRendition top, EncoderSettings settings,
            Path file) {
        List<String> cmd = new ArrayList<>(List.of(settings.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        if (isUrl(input)) {
            cmd.addAll(List.of("-rw_timeout", "30000000"));
        }
        cmd.addAll(List.of("-ss", number(posterTime(source.info().durationSeconds())), "-i", input, "-map",
                "0:" + source.video().index(), "-frames:v", "1", "-vf",
                "scale=" + top.width() + ":" + top.height() + ",setsar=1", "-update", "1", "-q:v", "3", file.toString()));
        return List.copyOf(cmd);
    }

    /** Where the poster frame is taken: a third into the video, at most 5 s in. */
    static double posterTime(double durationSeconds) {
        return Math.min(5.0, durationSeconds / 3);
    }

    private static List<String> start(String input, EncoderSettings settings) {
        List<String> cmd = new ArrayList<>(List.of(settings.ffmpeg(), "-hide_banner", "-nostdin", "-nostats",
                "-loglevel", "warning", "-progress", "pipe:1", "-y"));
        if (settings.readRate() > 0) {
            cmd.addAll(List.of("-readrate", number(settings.readRate())));
        }
        if (isUrl(input)) {
            // a stalled object store fails the attempt instead of hanging it (microseconds)
            cmd.addAll(List.of("-rw_timeout", "30000000"));
        }
        cmd.addAll(List.of("-i", input));
        return cmd;
    }

    /**
     * An HLS output. EVENT: ffmpeg rewrites each playlist (atomically, with temp_file) as soon as it closes a
     * segment, so the playlist names exactly the finished segments while ffmpeg runs (with VOD it writes them only at
     * the end).
     */
    private static List<String> hls(String hlsTime, int startNumber, Path outputDir, String streamMap) {
        return List.of("-f", "hls", "-hls_time", hlsTime, "-hls_playlist_type", "event", "-hls_segment_type", "fmp4",
                "-hls_flags", "independent_segments+temp_file", "-hls_segment_options", SEGMENT_OPTIONS,
                "-hls_fmp4_init_filename", "init.mp4", "-start_number", Integer.toString(startNumber),
                "-hls_segment_filename", outputDir.resolve("%v").resolve(SEGMENT_PATTERN).toString(),
                "-var_stream_map", streamMap, outputDir.resolve("%v").resolve("index.m3u8").toString());
    }

    /**
     * The audio rendition as a second output of the same process, cut every segment length (audio has no keyframes
     * to align: players switch video renditions, not the audio). Its samples are placed on the video's clock:
     * {@code aresample} pads or trims the start to the video's first frame, {@code apad} and {@code atrim} make it end
     * with the video's last (to the sample: what is left is the encoder's last frame, at most 1024 samples).
     */
    private static List<String> audio(ProbedSource source, SegmentPlan cuts, EncoderSettings settings, Path outputDir,
            String name) {
        long firstSample = Math.round(cuts.timeBase().seconds(cuts.start(0)) * 48_000);
        String end = cuts.timeBase().floorMicros(cuts.end()) + "us";
        return List.of("-map", "0:" + source.audio().index(), "-c:a", "aac", "-ac", "2", "-ar", "48000", "-b:a",
                AUDIO_KBPS + "k", "-af", "aresample=48000:async=1:first_pts=" + firstSample + ",apad,atrim=end=" + end,
                "-avoid_negative_ts", "disabled", "-f", "hls", "-hls_time", Integer.toString(settings.segmentSeconds()),
                "-hls_playlist_type", "event",
                "-hls_segment_type", "fmp4", "-hls_flags", "independent_segments+temp_file", "-hls_segment_options",
                SEGMENT_OPTIONS, "-hls_fmp4_init_filename", "init.mp4", "-start_number", "1", "-hls_segment_filename",
                outputDir.resolve(name).resolve(SEGMENT_PATTERN).toString(), outputDir.resolve(name).resolve("index.m3u8")
                        .toString());
    }

    /**
     * Decode once, then scale in a cascade: the top rung from the source, every lower rung from the rung above it
     * (1080p -> 720p -> 480p ...), each with lanczos. Each step reads a fraction of the pixels the full-size source
     * has and downscales by at most about 1.5x, where lanczos stays sharp without aliasing: on a 1080p source the
     * scaling of a five-rung ladder costs about 30% less CPU than scaling every rung from the source with the default
     * bicubic, and the rungs are no less faithful (SSIM against a direct lanczos downscale of the source).
     */
    private static String filterGraph(ProbedSource source, List<PlannedRendition> rungs) {
        int top = rungs.size() - 1;
        StringBuilder graph = new StringBuilder("[0:").append(source.video().index()).append(']');
        double frameRate = rungs.getFirst().frameRate();
        if (Math.abs(frameRate - source.info().frameRate()) > 0.01) {
            graph.append("fps=").append(number(frameRate)).append(',');
        }
        for (int i = top; i >= 0; i--) {
            PlannedRendition r = rungs.get(i);
            if (i < top) {
                graph.append(";[c").append(i + 1).append(']');
            }
            graph.append("scale=").append(r.width()).append(':').append(r.height()).append(":flags=lanczos,setsar=1");
            graph.append(i > 0 ? ",split=2[v" + i + "][c" + i + "]" : "[v0]");
        }
        return graph.toString();
    }

    private static boolean isUrl(String input) {
        return input.startsWith("http://") || input.startsWith("https://");
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", "");
    }
}
