package dev.reel.transcoder.ffmpeg;

import dev.reel.events.ChunkRequested;
import dev.reel.events.StoryboardTiles;
import dev.reel.events.TaskRendition;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.transcoder.ladder.PlannedRendition;
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
 *       with no decode, cut where ffmpeg's HLS muxer cuts a copy
 *       ({@link dev.reel.transcoder.plan.SegmentPlan#hlsMuxerCuts}).</li>
 *   <li>{@link #chunk}: one decode of a chunk of the original scaled down the task's rungs (a cascade), each rung
 *       keyed exactly at the plan's cut points and nowhere else, so every rendition (the passthrough included)
 *       switches at the same instants.</li>
 *   <li>{@link #audio}: the audio rendition, encoded once, when it is not copied.</li>
 *   <li>{@link #poster}: one frame.</li>
 *   <li>{@link #tiles}: the storyboard's tiles alone, when no chunk task decodes the video (a chunk task makes its
 *       chunk's tiles from its own decode, a branch of its filter graph).</li>
 * </ul>
 *
 * <p>Timestamps: every command keeps the original's ({@code -copyts}), so the plan's cut points, in the original's
 * ticks, are where the encodes key, and every rendition presents a frame at the instant the original does. The MP4
 * muxer writes composition offsets that may be negative ({@code negative_cts_offsets}), so a frame's presentation time
 * does not depend on the encoder's or the original's frame reordering delay; audio keeps its AAC priming before the
 * first frame ({@code -avoid_negative_ts disabled}) rather than pushing the pictures later.
 */
public final class FfmpegCommand {

    /** The folder of a task's output where its storyboard tiles are written. */
    public static final String TILES_DIR = "storyboard-tiles";
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
        List<String> cmd = start(input, settings, null, null); // with the original's timestamps, as the tasks keep them
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
     * A video chunk task: decode the chunk of the original once (from its first keyframe, {@code -ss}, to the next
     * chunk's or the video's end, {@code -to}, both the original's timestamps with {@code -copyts}), scale it down the
     * task's rungs (each
     * from the one above it, lanczos), and encode each rung keyed at exactly the chunk's cut points, its segments
     * numbered from the task's first. Run over the whole video (the first and only chunk), it is the single-process
     * encode of the same rungs.
     */
    public static List<String> chunk(String input, ChunkRequested task, EncoderSettings settings, Path outputDir) {
        if (task.audio()) {
            throw new IllegalArgumentException("task " + task.task() + " encodes the audio");
        }
        TimeBase tb = new TimeBase(task.timeBaseNum(), task.timeBaseDen());
        List<TaskRendition> rungs = task.renditions();
        List<String> cmd = niced(settings, start(input, settings,
                task.start() == task.videoStart() ? null : tb.floorMicros(task.start()), tb.floorMicros(task.end())));
        int count = rungs.size();
        cmd.addAll(List.of("-filter_complex", filterGraph(task)));
        for (int i = 0; i < count; i++) {
            cmd.addAll(List.of("-map", "[v" + i + "]"));
        }
        cmd.addAll(List.of("-c:v", "libx264", "-preset", task.preset(), "-pix_fmt", "yuv420p"));
        if (settings.threads() > 0) {
            cmd.addAll(List.of("-threads", Integer.toString(settings.threads())));
        }
        for (int i = 0; i < count; i++) {
            TaskRendition r = rungs.get(i);
            cmd.addAll(List.of(
                    "-profile:v:" + i, r.profile(), "-level:v:" + i, r.level(),
                    "-b:v:" + i, r.kbps() + "k",
                    "-maxrate:v:" + i, r.maxrateKbps() + "k",
                    "-bufsize:v:" + i, r.bufsizeKbps() + "k"));
        }
        // Keyframes exactly at the cut points: forced there, never added by scene cuts, and a GOP longer than the
        // longest segment so the encoder adds none in between.
        long longest = 0;
        for (int i = 0; i < task.cuts().size(); i++) {
            long next = i + 1 < task.cuts().size() ? task.cuts().get(i + 1) : task.end();
            longest = Math.max(longest, next - task.cuts().get(i));
        }
        int gop = (int) Math.ceil(tb.seconds(longest) * rungs.getFirst().frameRate()) + 2;
        cmd.addAll(List.of("-g", Integer.toString(gop), "-sc_threshold", "0", "-force_key_frames",
                task.cuts().stream().map(t -> tb.floorMicros(t) + "us").collect(Collectors.joining(",")),
                "-fps_mode", "passthrough"));
        StringJoiner map = new StringJoiner(" ");
        for (int i = 0; i < count; i++) {
            map.add("v:" + i + ",name:" + rungs.get(i).name());
        }
        cmd.addAll(hls(CUT_AT_EVERY_KEYFRAME, task.firstSegment(), outputDir, map.toString()));
        if (task.storyboard() != null) {
            cmd.addAll(tileOutput(task.storyboard(), outputDir.resolve(TILES_DIR)));
        }
        return List.copyOf(cmd);
    }

    /**
     * Only the storyboard's tiles, for a video no task decodes (the passthrough is its whole ladder): the original
     * decoded for them alone. Only small originals get here ({@code VideoPlan#intakeTiles}).
     */
    public static List<String> tiles(String input, ProbedSource source, StoryboardTiles tiles, EncoderSettings settings,
            Path outputDir) {
        List<String> cmd = niced(settings, start(input, settings, null, null));
        cmd.addAll(List.of("-filter_complex", "[0:" + source.video().index() + "]" + tileFilter(tiles) + "[tiles]"));
        if (settings.threads() > 0) {
            cmd.addAll(List.of("-threads", Integer.toString(settings.threads())));
        }
        cmd.addAll(tileOutput(tiles, outputDir));
        return List.copyOf(cmd);
    }

    /**
     * The storyboard branch of a decode: keeps exactly the frames whose timestamps (the original's, {@code -copyts}: the
     * filter graph sees the stream's time base and ticks) are the tiles', and only those are scaled down (area
     * averaging: a 1080p frame to 160 pixels without aliasing). Every other frame costs one expression evaluation.
     */
    static String tileFilter(StoryboardTiles tiles) {
        String select = tiles.frames().stream().map(t -> "eq(pts," + t + ")").collect(Collectors.joining("+"));
        return "select='" + select + "',scale=" + tiles.width() + ":" + tiles.height() + ":flags=area,setsar=1";
    }

    /** The tiles as JPEGs, {@code tile-NNNNN.jpg} numbered from the first tile's number, one per selected frame. */
    private static List<String> tileOutput(StoryboardTiles tiles, Path dir) {
        return List.of("-map", "[tiles]", "-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", "4", "-fps_mode", "passthrough",
                "-f", "image2", "-start_number", Integer.toString(tiles.first()),
                dir.resolve(ObjectKeys.TILE_PATTERN).toString());
    }

    /**
     * The audio task: the original's audio copied (AAC-LC that plays everywhere, starting with the video, as a
     * passthrough's) or else encoded once into its own rendition, AAC-LC 48 kHz stereo, cut every
     * segment length (audio has no keyframes to align: players switch video renditions, not the audio). Its samples
     * are placed on the video's clock: {@code aresample} pads or trims the start to the video's first frame,
     * {@code apad} and {@code atrim} make it end with the video's last (to the sample: what is left is the encoder's
     * last frame, at most 1024 samples); its AAC priming stays before the first frame ({@code -avoid_negative_ts
     * disabled}) rather than pushing the audio later.
     */
    public static List<String> audio(String input, ChunkRequested task, EncoderSettings settings, Path outputDir) {
        if (!task.audio()) {
            throw new IllegalArgumentException("task " + task.task() + " encodes video");
        }
        TimeBase tb = new TimeBase(task.timeBaseNum(), task.timeBaseDen());
        TaskRendition audio = task.renditions().getFirst();
        long firstSample = Math.round(tb.seconds(task.videoStart()) * 48_000);
        String name = audio.name();
        List<String> cmd = niced(settings, start(input, settings, null, null));
        cmd.addAll(List.of("-map", "0:" + audio.stream()));
        if (audio.copy()) {
            // as the passthrough copies it: it starts within a frame of the video (the plan checked), priming kept
            cmd.addAll(List.of("-c:a", "copy"));
        } else {
            cmd.addAll(List.of("-c:a", "aac", "-ac", "2", "-ar", "48000", "-b:a", audio.kbps() + "k", "-af",
                    "aresample=48000:async=1:first_pts=" + firstSample + ",apad,atrim=end=" + tb.floorMicros(task.end())
                            + "us"));
        }
        cmd.addAll(List.of("-avoid_negative_ts", "disabled", "-f", "hls", "-hls_time",
                Integer.toString(settings.segmentSeconds()),
                "-hls_playlist_type", "event", "-hls_segment_type", "fmp4", "-hls_flags", "independent_segments+temp_file",
                "-hls_segment_options", SEGMENT_OPTIONS, "-hls_fmp4_init_filename", "init.mp4", "-start_number", "1",
                "-hls_segment_filename", outputDir.resolve(name).resolve(SEGMENT_PATTERN).toString(),
                outputDir.resolve(name).resolve("index.m3u8").toString()));
        return List.copyOf(cmd);
    }

    /**
     * Decodes the first {@code seconds} of the original's video and fails on the first error ({@code -xerror}): a copy
     * is not decoded, so this is what keeps an original whose header is fine but whose pictures are not (damaged,
     * truncated, garbage) from being announced playable. The video is the first that is not a picture (ffmpeg's
     * {@code V:0}, the stream {@link SourceProbe} picks), so the check needs no probe and runs beside it.
     */
    public static List<String> decodeCheck(String input, int seconds, EncoderSettings settings) {
        List<String> cmd = new ArrayList<>(List.of(settings.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-xerror"));
        if (isUrl(input)) {
            cmd.addAll(List.of("-rw_timeout", "30000000"));
        }
        cmd.addAll(List.of("-t", Integer.toString(seconds), "-i", input, "-map", "0:V:0", "-f", "null", "-"));
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

    /**
     * ffmpeg reading {@code input} with the original's timestamps ({@code -copyts}), from {@code fromMicros} (a
     * keyframe: the seek lands on it and nothing before it is decoded) to before {@code toMicros} when given; with its
     * CPU time reported at the end ({@code -benchmark}, at log level info: the last lines of stderr are kept).
     */
    private static List<String> start(String input, EncoderSettings settings, Long fromMicros, Long toMicros) {
        List<String> cmd = new ArrayList<>(List.of(settings.ffmpeg(), "-copyts", "-hide_banner", "-nostdin", "-nostats",
                "-loglevel", "info", "-benchmark", "-progress", "pipe:1", "-y"));
        if (settings.readRate() > 0) {
            cmd.addAll(List.of("-readrate", number(settings.readRate())));
        }
        if (isUrl(input)) {
            // a stalled object store fails the attempt instead of hanging it (microseconds)
            cmd.addAll(List.of("-rw_timeout", "30000000"));
        }
        if (fromMicros != null) {
            cmd.addAll(List.of("-ss", fromMicros + "us"));
        }
        if (toMicros != null) {
            cmd.addAll(List.of("-to", toMicros + "us"));
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
     * Decode once, then scale in a cascade: the top rung from the source, every lower rung from the rung above it
     * (1080p -> 720p -> 480p ...), each with lanczos. Each step reads a fraction of the pixels the full-size source
     * has and downscales by at most about 1.5x, where lanczos stays sharp without aliasing: on a 1080p source the
     * scaling of a five-rung ladder costs about 30% less CPU than scaling every rung from the source with the default
     * bicubic, and the rungs are no less faithful (SSIM against a direct lanczos downscale of the source).
     */
    private static String filterGraph(ChunkRequested task) {
        List<TaskRendition> rungs = task.renditions();
        int top = rungs.size() - 1;
        StringBuilder graph = new StringBuilder("[0:").append(rungs.getFirst().stream()).append(']');
        if (task.storyboard() != null) {
            // the decoded frames go to the ladder and, before any rate change, to the tiles' branch
            graph.append("split=2[ladder][sb];[sb]").append(tileFilter(task.storyboard())).append("[tiles];[ladder]");
        }
        double frameRate = rungs.getFirst().frameRate();
        if (Math.abs(frameRate - task.sourceFrameRate()) > 0.01) {
            graph.append("fps=").append(number(frameRate)).append(',');
        }
        for (int i = top; i >= 0; i--) {
            TaskRendition r = rungs.get(i);
            if (i < top) {
                graph.append(";[c").append(i + 1).append(']');
            }
            graph.append("scale=").append(r.width()).append(':').append(r.height()).append(":flags=lanczos,setsar=1");
            graph.append(i > 0 ? ",split=2[v" + i + "][c" + i + "]" : "[v0]");
        }
        return graph.toString();
    }

    /** The command run at the settings' niceness ({@code nice -n N ffmpeg ...}), when it is not 0. */
    private static List<String> niced(EncoderSettings settings, List<String> command) {
        if (settings.nice() > 0) {
            command.addAll(0, List.of("nice", "-n", Integer.toString(settings.nice())));
        }
        return command;
    }

    private static boolean isUrl(String input) {
        return input.startsWith("http://") || input.startsWith("https://");
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", "");
    }
}
