package dev.reel.transcoder.plan;

import dev.reel.events.ChunkRequested;
import dev.reel.events.RenditionKind;
import dev.reel.events.StoryboardTiles;
import dev.reel.events.TaskRendition;
import dev.reel.events.TranscodePlanned;
import dev.reel.events.TranscodePlanned.PlanRendition;
import dev.reel.events.TranscodePlanned.PlanTask;
import dev.reel.transcoder.ffmpeg.FfmpegCommand;
import dev.reel.transcoder.ffmpeg.ProbedSource;
import dev.reel.transcoder.ffmpeg.TimeBase;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.ladder.PlannedRendition;
import dev.reel.transcoder.storyboard.StoryboardPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How one video's renditions are made: the ladder, the passthrough (if the original plays as it is), where every
 * rendition's segments start, the chunks those segments are grouped into, and the chunk tasks any worker may take,
 * in the order they should be done.
 *
 * <p>Tasks, in order: the audio (when the passthrough does not copy it: once, for the whole video, itself copied when
 * it plays everywhere as it is, else encoded); then, when nothing
 * is passed through and there is more than one rung, the lowest rung of every chunk that starts within the first
 * {@link Settings#lowestFirstSeconds()} ("early" chunks), so that an original no browser plays as it is becomes
 * playable as fast as the workers can encode its smallest rendition; then, alternately, a later chunk's whole ladder
 * (which extends the lowest rung) and an early chunk's other rungs (which extend the higher ones), earliest first.
 * An early chunk is decoded twice (about 1 s of CPU per 8 s of 1080p); a later chunk once. With a passthrough every
 * chunk's task encodes all the rungs, with one decode.
 *
 * @param videoId   the video
 * @param objectKey its original
 * @param source    the original as probed
 * @param ladder    every rung for the source, lowest first
 * @param passthrough whether and how the original is copied
 * @param encoded   the rungs the tasks encode (the ladder, less the top rung when the passthrough stands in for it)
 * @param layout    segments and chunks
 * @param tasks     the tasks, each a chunk and the renditions it encodes ({@link #AUDIO} for the audio task)
 * @param preset    the x264 preset of every task
 * @param planId    identifies the plan: a digest of all of the above, so the same original planned again is the same plan
 * @param storyboard which frames become the storyboard's tiles; made by the task of each chunk that encodes the highest
 *                   rung (it decodes the chunk anyway), or, when no task decodes (the passthrough is the whole ladder),
 *                   by the planning worker ({@link #intakeTiles})
 */
public record VideoPlan(String videoId, String objectKey, ProbedSource source, List<PlannedRendition> ladder,
        Passthrough passthrough, List<PlannedRendition> encoded, ChunkLayout layout, List<Task> tasks, String preset,
        String planId, StoryboardPlan storyboard) {

    /** The audio rendition's name. */
    public static final String AUDIO = "audio";

    /**
     * A task of the plan.
     *
     * @param chunk      the chunk it encodes (the audio task: 0, and the whole video)
     * @param renditions the rungs it encodes; empty for the audio task
     */
    public record Task(int chunk, List<PlannedRendition> renditions) {

        public boolean audio() {
            return renditions.isEmpty();
        }
    }

    /**
     * How a video is planned.
     *
     * @param segmentSeconds target segment length
     * @param chunkSeconds   target chunk length
     * @param splitMinSeconds a video shorter than this is one chunk: splitting it costs more than it saves
     * @param lowestFirstSeconds the lowest rung of the chunks starting within this much of the video is encoded first,
     *                       in tasks of its own (when nothing is passed through); later chunks' lowest rung comes with
     *                       their other rungs, decoded once
     * @param preset         x264 preset
     * @param passthrough    what an original must meet to be copied; {@code null}: never
     */
    public record Settings(int segmentSeconds, double chunkSeconds, double splitMinSeconds, double lowestFirstSeconds,
            String preset, Passthrough.Limits passthrough) {
    }

    /** Plans a video from its probe and its packets. */
    public static VideoPlan of(String videoId, String objectKey, ProbedSource source, VideoPackets packets, LadderTable table,
            Settings settings) {
        List<PlannedRendition> ladder = table.plan(source.info());
        SegmentPlan copyCuts = SegmentPlan.hlsMuxerCuts(packets, settings.segmentSeconds());
        Passthrough passthrough = settings.passthrough() == null
                ? new Passthrough(List.of("passthrough is turned off"), Passthrough.INTERIM_NAME, false, 0)
                : Passthrough.decide(source, packets, copyCuts, ladder, settings.passthrough());
        boolean whole = source.info().durationSeconds() < settings.splitMinSeconds();
        ChunkLayout layout;
        if (passthrough.possible()) {
            layout = whole ? ChunkLayout.whole(copyCuts) : ChunkLayout.ofCopy(copyCuts, settings.chunkSeconds());
        } else if (whole) {
            layout = ChunkLayout.whole(SegmentPlan.every(packets.timeBase(), packets.start(), packets.end(),
                    settings.segmentSeconds()));
        } else {
            layout = ChunkLayout.ofEncode(packets, settings.chunkSeconds(), settings.segmentSeconds());
        }
        List<PlannedRendition> encoded = List.copyOf(passthrough.kept() ? ladder.subList(0, ladder.size() - 1) : ladder);
        List<Task> tasks = new ArrayList<>();
        if (source.hasAudio() && !passthrough.possible()) {
            tasks.add(new Task(0, List.of()));
        }
        if (!passthrough.possible() && encoded.size() > 1) {
            int early = earlyChunks(layout, settings.lowestFirstSeconds());
            for (int c = 0; c < early; c++) {
                tasks.add(new Task(c, encoded.subList(0, 1)));
            }
            for (int later = early, rest = 0; later < layout.count() || rest < early;) {
                if (later < layout.count()) {
                    tasks.add(new Task(later++, encoded));
                }
                if (rest < early) {
                    tasks.add(new Task(rest++, encoded.subList(1, encoded.size())));
                }
            }
        } else if (!encoded.isEmpty()) {
            for (int c = 0; c < layout.count(); c++) {
                tasks.add(new Task(c, encoded));
            }
        }
        String planId = digest(videoId, layout, tasks, settings.preset(), passthrough);
        PlannedRendition top = ladder.getLast();
        return new VideoPlan(videoId, objectKey, source, ladder, passthrough, encoded, layout, List.copyOf(tasks),
                settings.preset(), planId, StoryboardPlan.of(packets, top.width(), top.height()));
    }

    /**
     * The name the passthrough most likely gets, from the streams alone ({@link Passthrough#likelyName}): the copy can
     * start while the packets are still being listed. Empty when passthrough is off or the streams rule it out.
     */
    public static Optional<String> likelyPassthrough(ProbedSource source, LadderTable table, Settings settings) {
        return settings.passthrough() == null
                ? Optional.empty()
                : Passthrough.likelyName(source, table.plan(source.info()));
    }

    /** How many chunks, from the first, start within {@code seconds} of the video's start (at least one). */
    private static int earlyChunks(ChunkLayout layout, double seconds) {
        TimeBase timeBase = layout.cuts().timeBase();
        long videoStart = layout.start(0);
        int early = 1;
        while (early < layout.count() && timeBase.seconds(layout.start(early) - videoStart) < seconds) {
            early++;
        }
        return early;
    }

    /** Whether the audio rendition is the passthrough's copy of the original's. */
    public boolean audioCopied() {
        return source.hasAudio() && passthrough.possible();
    }

    /** Every rendition, in the order they are announced: audio first (it plays nothing alone), then lowest first. */
    public List<PlanRendition> renditions() {
        List<PlanRendition> renditions = new ArrayList<>();
        if (source.hasAudio()) {
            renditions.add(new PlanRendition(AUDIO, RenditionKind.AUDIO, 0, 0, 0, audioCopied(), false));
        }
        if (passthrough.possible()) {
            renditions.add(new PlanRendition(passthrough.name(), RenditionKind.VIDEO, source.info().width(),
                    source.info().height(), source.info().frameRate(), true, !passthrough.kept()));
        }
        for (PlannedRendition r : encoded) {
            renditions.add(new PlanRendition(r.name(), RenditionKind.VIDEO, r.width(), r.height(), r.frameRate(), false, false));
        }
        return renditions;
    }

    /** The rendition names, in the order they are announced. */
    public List<String> names() {
        return renditions().stream().map(PlanRendition::name).toList();
    }

    /** The plan as the assembler reads it. */
    public TranscodePlanned planned(String worker, int attempt, String posterKey) {
        List<PlanTask> planTasks = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            planTasks.add(task.audio()
                    ? new PlanTask(i, 0, List.of(AUDIO), 1, 0)
                    : new PlanTask(i, task.chunk(), task.renditions().stream().map(PlannedRendition::name).toList(),
                            layout.firstSegment(task.chunk()) + 1, layout.segments(task.chunk())));
        }
        return new TranscodePlanned(videoId, worker, attempt, planId, renditions(), planTasks, layout.count(),
                layout.cuts().count(), targetDuration(), source.info().durationSeconds(), posterKey, storyboard.storyboard());
    }

    /** Every playlist's {@code EXT-X-TARGETDURATION}. */
    public int targetDuration() {
        return layout.cuts().targetDuration(1 / source.info().frameRate());
    }

    /** The tasks as workers take them. */
    public List<ChunkRequested> requests() {
        List<ChunkRequested> requests = new ArrayList<>();
        SegmentPlan cuts = layout.cuts();
        long num = cuts.timeBase().num();
        long den = cuts.timeBase().den();
        long videoStart = cuts.start(0);
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            ChunkRequested request;
            if (task.audio()) {
                // audio that plays everywhere is copied: no encode, and the one audio task is no longer the ladder's
                // critical path on many workers (see the module README, "Scaling over workers")
                TaskRendition audio = new TaskRendition(AUDIO, RenditionKind.AUDIO, source.audio().index(), 0, 0, 0, null, null,
                        FfmpegCommand.AUDIO_KBPS, 0, 0, Passthrough.audioPlaysAsIs(source));
                request = new ChunkRequested(videoId, planId, i, tasks.size(), objectKey, num, den, source.info().frameRate(),
                        videoStart, videoStart, cuts.end(), List.of(videoStart), 1, List.of(audio), preset);
            } else {
                int c = task.chunk();
                List<TaskRendition> renditions = task.renditions().stream()
                        .map(r -> new TaskRendition(r.name(), RenditionKind.VIDEO, source.video().index(), r.width(), r.height(),
                                r.frameRate(), r.rung().profile(), r.level().name(), r.rung().videoKbps(),
                                r.rung().maxrateKbps(), r.rung().bufsizeKbps()))
                        .toList();
                request = new ChunkRequested(videoId, planId, i, tasks.size(), objectKey, num, den, source.info().frameRate(),
                        videoStart, layout.start(c), layout.end(c), layout.cutsOf(c), layout.firstSegment(c) + 1, renditions,
                        preset, tilesOf(task));
            }
            requests.add(request);
        }
        return requests;
    }

    /**
     * The storyboard tiles a task makes: those of its chunk, if it decodes the chunk for the highest rung (with the
     * lowest rung split off for early chunks, that is the chunk's other task); none otherwise.
     */
    private StoryboardTiles tilesOf(Task task) {
        if (encoded.isEmpty() || !task.renditions().contains(encoded.getLast())) {
            return null;
        }
        return storyboard.tilesIn(layout.start(task.chunk()), layout.end(task.chunk()));
    }

    /**
     * The tiles the planning worker makes itself, by decoding the original only for them, when no task decodes it: the
     * passthrough is the whole ladder, which happens only for an original no larger than the lowest rung (240 lines),
     * whose decode costs a few percent of a 1080p one; {@code null} when the tasks make them.
     */
    public StoryboardTiles intakeTiles() {
        return encoded.isEmpty() ? storyboard.all() : null;
    }

    /** One line for the log: the layout and why there is no passthrough, if there is none. */
    public String describe() {
        String copy = passthrough.possible()
                ? "passthrough " + passthrough.name() + (passthrough.kept() ? " (kept in the ladder)" : " (interim)")
                        + String.format(Locale.ROOT, " at %.1f Mbit/s peak", passthrough.peak() / 1e6)
                : "no passthrough: " + String.join("; ", passthrough.obstacles());
        return String.format(Locale.ROOT, "%d segments of at most %.2f s in %d chunk(s), %d task(s), %s", layout.cuts().count(),
                layout.cuts().maxSeconds(), layout.count(), tasks.size(), copy);
    }

    private static String digest(String videoId, ChunkLayout layout, List<Task> tasks, String preset, Passthrough passthrough) {
        StringBuilder text = new StringBuilder(videoId).append('|').append(preset).append('|').append(passthrough.name())
                .append('|').append(layout.cuts().timeBase()).append('|').append(layout.cuts().cuts()).append('|')
                .append(layout.cuts().end()).append('|').append(layout.chunks());
        for (Task task : tasks) {
            text.append('|').append(task.chunk()).append(':');
            task.renditions().forEach(r -> text.append(r.name()).append(',').append(r.width()).append('x').append(r.height())
                    .append(',').append(r.rung().videoKbps()).append(',').append(r.level().name()).append(';'));
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "p" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
