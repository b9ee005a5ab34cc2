package dev.reel.transcoder.assembly;

import dev.reel.events.ChunkCompleted;
import dev.reel.events.ChunkCompleted.ChunkOutput;
import dev.reel.events.ChunkCompleted.ChunkSegment;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.RenditionReady;
import dev.reel.events.Storyboard;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeFailed;
import dev.reel.events.TranscodePlanned;
import dev.reel.events.TranscodePlanned.PlanRendition;
import dev.reel.events.TranscodePlanned.PlanTask;
import dev.reel.events.TranscodeProgress;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.transcoder.job.NoStallStart;
import dev.reel.transcoder.storage.BitRates;
import dev.reel.transcoder.storage.MediaPlaylist;
import dev.reel.transcoder.storage.RenditionUploader.Stored;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The assembler's rules, as a pure function from what it knows of a video and one event of {@code reel.transcode} to
 * what it knows next and what to do: store playlists, publish events. No I/O, so every rule is tested without Kafka or
 * storage; {@link AssemblerProcessor} carries the actions out.
 *
 * <ul>
 *   <li>A rendition made by chunk tasks lists the segments of the chunks done from the first on, without a gap: a
 *       playlist never names a segment that is not stored, nor skips one (never a hole).</li>
 *   <li>It is announced growing (an {@code EVENT} playlist of that prefix and {@code rendition.ready} growing) once a
 *       viewer starting then would not catch up with the ladder ({@link NoStallStart}: the prefix's media seconds
 *       against how fast prefixes have grown since the plan), and only after every rendition before it in the plan's
 *       order (audio first, then lowest first) is announced; its stored playlist is extended as more chunks are done.
 *       When every chunk is done, its {@code VOD} playlist is stored and {@code rendition.ready} complete follows.</li>
 *   <li>When every rendition is complete (the copied ones as their worker announced them), the storyboard is
 *       composed from the tiles the tasks stored, then {@code transcode.completed} lists the ladder (an interim
 *       passthrough left out) and the storyboard. Once.</li>
 *   <li>{@code transcode.progress} follows every chunk result: the share of tasks done.</li>
 *   <li>Chunks of a rendition that disagree on their codec configuration cannot share its init segment: the video
 *       fails ({@code transcode.failed}). A failed video gets nothing more.</li>
 *   <li>A result counts once (a task redone after its worker died reports again), and only for its plan: a new plan
 *       starts over.</li>
 * </ul>
 */
public final class Assembly {

    /** Something to do, in order. */
    public sealed interface Action permits StorePlaylist, ComposeStoryboard, Publish {
    }

    /**
     * Compose the storyboard from the tiles the tasks stored, and store its sprite and WebVTT file (under
     * {@link ObjectKeys#storyboard}); done before {@code transcode.completed}, which names it.
     */
    public record ComposeStoryboard(String videoId, Storyboard storyboard, double durationSeconds) implements Action {
    }

    /**
     * Store a rendition's playlist.
     *
     * @param key      its object key
     * @param text     the playlist
     * @param segments how many segments it lists
     * @param complete whether it is the final ({@code VOD}) playlist; a growing one must never replace a final one nor a
     *                 longer one
     */
    public record StorePlaylist(String key, String text, int segments, boolean complete) implements Action {
    }

    /** Publish an event. */
    public record Publish(EventData event) implements Action {
    }

    /** The next state and what to do. */
    public record Step(AssemblyState state, List<Action> actions) {
    }

    private final NoStallStart rule;
    private final String worker;

    /**
     * @param rule   when a rendition still being encoded may be announced
     * @param worker names the assembler in the events it writes
     */
    public Assembly(NoStallStart rule, String worker) {
        this.rule = rule;
        this.worker = worker;
    }

    /**
     * @param state what is known of the video ({@link AssemblyState#empty()} at first)
     * @param event an event of {@code reel.transcode} about it
     * @param now   the time of processing (what speeds are measured to)
     */
    public Step apply(AssemblyState state, Envelope<?> event, Instant now) {
        EventData data = event.data();
        if (data instanceof TranscodeFailed) {
            return new Step(with(state, state.plan(), state.plannedAt(), state.results(), state.copies(), state.announced(),
                    state.completed(), true), List.of());
        }
        if (state.finished()) {
            return new Step(state, List.of());
        }
        return switch (data) {
            case TranscodePlanned planned -> planned(state, planned, event.time(), now);
            case ChunkCompleted result -> result(state, result, now);
            case RenditionReady ready -> copied(state, ready.rendition(), now);
            default -> new Step(state, List.of()); // its own output, progress, started, ...
        };
    }

    private Step planned(AssemblyState state, TranscodePlanned planned, Instant at, Instant now) {
        if (state.plan() != null && state.plan().planId().equals(planned.planId())) {
            return new Step(state, List.of()); // the same plan again (a retried upload): what was done stands
        }
        AssemblyState fresh = new AssemblyState(planned, at, Map.of(), Map.of(), Map.of(), false, false);
        return advance(fresh, now, false);
    }

    private Step result(AssemblyState state, ChunkCompleted result, Instant now) {
        TranscodePlanned plan = state.plan();
        if (plan == null || !plan.planId().equals(result.planId()) || state.results().containsKey(result.task())
                || result.task() >= plan.tasks().size()) {
            return new Step(state, List.of());
        }
        Map<Integer, ChunkCompleted> results = new HashMap<>(state.results());
        results.put(result.task(), result);
        return advance(with(state, plan, state.plannedAt(), results, state.copies(), state.announced(), false, false), now,
                true);
    }

    private Step copied(AssemblyState state, Rendition rendition, Instant now) {
        TranscodePlanned plan = state.plan();
        if (plan == null || rendition.growing() || plan.renditions().stream()
                .noneMatch(r -> r.copied() && r.name().equals(rendition.name()))) {
            return new Step(state, List.of()); // a growing copy, or the assembler's own announcement read back
        }
        Map<String, Rendition> copies = new HashMap<>(state.copies());
        copies.put(rendition.name(), rendition);
        return advance(with(state, plan, state.plannedAt(), state.results(), copies, state.announced(), false, false), now,
                false);
    }

    /** Announces and completes what the state now allows, in the plan's order. */
    private Step advance(AssemblyState state, Instant now, boolean progressed) {
        TranscodePlanned plan = state.plan();
        List<Action> actions = new ArrayList<>();
        Map<String, Integer> announced = new LinkedHashMap<>(state.announced());
        Map<String, Rendition> complete = new LinkedHashMap<>();
        double elapsed = Math.max(0.001, Duration.between(state.plannedAt(), now).toMillis() / 1000.0);
        boolean inOrder = true;
        for (PlanRendition r : plan.renditions()) {
            if (r.copied()) {
                Rendition copy = state.copies().get(r.name());
                if (copy != null) {
                    complete.put(r.name(), copy);
                }
                // the planning worker announces its copy within seconds; what follows waits for its complete one
                // only if the copy has not been seen at all: a growing copy was announced, and the order holds
                inOrder = inOrder && copy != null;
                continue;
            }
            Prefix prefix = prefix(plan, state.results(), r.name());
            if (prefix.conflict() != null) {
                String reason = "chunks of " + r.name() + " disagree on their codec configuration (" + prefix.conflict()
                        + "): they cannot share one init segment";
                actions.add(new Publish(new TranscodeFailed(plan.videoId(), worker, 1, reason)));
                return new Step(with(state, plan, state.plannedAt(), state.results(), state.copies(), announced, false, true),
                        actions);
            }
            Integer listed = announced.get(r.name());
            if (listed != null && listed == AssemblyState.COMPLETE) {
                complete.put(r.name(), rendition(plan, r, prefix, false));
                continue;
            }
            if (prefix.segments().isEmpty()) {
                inOrder = false;
                continue;
            }
            if (prefix.whole() && inOrder) {
                Rendition done = rendition(plan, r, prefix, false);
                actions.add(new StorePlaylist(done.playlistKey(), text(plan, prefix, true), prefix.segments().size(), true));
                actions.add(new Publish(new RenditionReady(plan.videoId(), done)));
                announced.put(r.name(), AssemblyState.COMPLETE);
                complete.put(r.name(), done);
                continue;
            }
            if (listed != null) {
                if (prefix.segments().size() > listed) {
                    actions.add(new StorePlaylist(ObjectKeys.renditionFile(plan.videoId(), r.name(), ObjectKeys.PLAYLIST),
                            text(plan, prefix, false), prefix.segments().size(), false));
                    announced.put(r.name(), prefix.segments().size());
                }
                continue;
            }
            double seconds = prefix.seconds();
            // A rung whose next chunks come with the whole ladder grows at the ladder's pace, not at the pace of the
            // lowest-rung tasks that made its start: only what the ladder's tasks added measures it (slower, or 0).
            double speed = (prefix.ladderAhead() ? prefix.ladderSeconds() : seconds) / elapsed;
            if (inOrder && rule.allows(plan.durationSeconds(), new Stored(prefix.segments().size(), seconds), speed)) {
                Rendition growing = rendition(plan, r, prefix, true);
                actions.add(new StorePlaylist(growing.playlistKey(), text(plan, prefix, false), prefix.segments().size(), false));
                actions.add(new Publish(new RenditionReady(plan.videoId(), growing)));
                announced.put(r.name(), prefix.segments().size());
            } else {
                inOrder = false;
            }
        }
        if (progressed) {
            double percent = Math.min(99.9, 100.0 * state.results().size() / Math.max(1, plan.tasks().size()));
            double done = plan.durationSeconds() * state.results().size() / Math.max(1, plan.tasks().size());
            actions.add(new Publish(new TranscodeProgress(plan.videoId(), worker, percent, done / elapsed)));
        }
        boolean completed = complete.size() == plan.renditions().size();
        if (completed) {
            List<Rendition> ladder = complete.values().stream().filter(r -> !r.interim())
                    .sorted(Comparator.comparingLong(Rendition::bandwidth)).toList();
            long millis = Duration.between(state.plannedAt(), now).toMillis();
            String storyboardKey = null;
            if (plan.storyboard() != null) {
                // every task (or, with no task that decodes, the copy) is done: every tile is stored
                actions.add(new ComposeStoryboard(plan.videoId(), plan.storyboard(), plan.durationSeconds()));
                storyboardKey = ObjectKeys.storyboard(plan.videoId());
            }
            actions.add(new Publish(new TranscodeCompleted(plan.videoId(), worker, ladder, plan.posterKey(), Math.max(0, millis),
                    storyboardKey)));
        }
        return new Step(with(state, plan, state.plannedAt(), state.results(), state.copies(), announced, completed, false),
                actions);
    }

    /**
     * The segments of a rendition stored without a gap: the chunks done from the first on.
     *
     * @param segments the segments, in order
     * @param whole    whether every chunk of the rendition is done
     * @param codecs   the rendition's codecs (from its first chunk)
     * @param conflict a description of two chunks' different codec configurations, or {@code null}
     * @param ladderSeconds the media seconds of the prefix made by tasks that encode more than this rendition
     * @param ladderAhead whether a chunk not yet in the prefix comes from such a task
     */
    record Prefix(List<ChunkSegment> segments, boolean whole, String codecs, String conflict, double ladderSeconds,
            boolean ladderAhead) {

        double seconds() {
            return segments.stream().mapToDouble(ChunkSegment::durationSeconds).sum();
        }
    }

    static Prefix prefix(TranscodePlanned plan, Map<Integer, ChunkCompleted> results, String rendition) {
        List<PlanTask> tasks = plan.tasks().stream().filter(t -> t.renditions().contains(rendition))
                .sorted(Comparator.comparingInt(PlanTask::chunk)).toList();
        List<ChunkSegment> segments = new ArrayList<>();
        Set<String> digests = new HashSet<>();
        String codecs = null;
        int done = 0;
        double ladderSeconds = 0;
        for (PlanTask task : tasks) {
            ChunkCompleted result = results.get(task.task());
            ChunkOutput output = result == null
                    ? null
                    : result.outputs().stream().filter(o -> o.name().equals(rendition)).findFirst().orElse(null);
            if (output == null) {
                break;
            }
            done++;
            digests.add(output.initDigest());
            codecs = codecs == null ? output.codecs() : codecs;
            segments.addAll(output.segments());
            if (task.renditions().size() > 1) {
                ladderSeconds += output.segments().stream().mapToDouble(ChunkSegment::durationSeconds).sum();
            }
        }
        boolean ladderAhead = tasks.subList(done, tasks.size()).stream().anyMatch(t -> t.renditions().size() > 1);
        String conflict = digests.size() > 1 ? String.join(" vs ", digests) : null;
        return new Prefix(List.copyOf(segments), !tasks.isEmpty() && done == tasks.size(), codecs, conflict, ladderSeconds,
                ladderAhead);
    }

    /** The rendition as the catalog describes it, with bit rates measured on the segments listed. */
    private static Rendition rendition(TranscodePlanned plan, PlanRendition r, Prefix prefix, boolean growing) {
        BitRates rates = BitRates.of(prefix.segments().stream().map(s -> new BitRates.Sized(s.bytes(), s.durationSeconds()))
                .toList());
        return new Rendition(r.name(), r.width(), r.height(), rates.peak(), rates.average(), prefix.codecs(), r.frameRate(),
                ObjectKeys.renditionFile(plan.videoId(), r.name(), ObjectKeys.PLAYLIST), prefix.segments().size(),
                prefix.seconds(), growing, r.kind() == RenditionKind.AUDIO ? RenditionKind.AUDIO : RenditionKind.VIDEO,
                r.interim());
    }

    private static String text(TranscodePlanned plan, Prefix prefix, boolean complete) {
        return MediaPlaylist.render(prefix.segments().stream()
                .map(s -> new MediaPlaylist.Segment(String.format("seg-%05d.m4s", s.number()), s.durationSeconds())).toList(),
                ObjectKeys.INIT, plan.targetDuration(), complete);
    }

    private static AssemblyState with(AssemblyState state, TranscodePlanned plan, Instant plannedAt,
            Map<Integer, ChunkCompleted> results, Map<String, Rendition> copies, Map<String, Integer> announced,
            boolean completed, boolean failed) {
        return new AssemblyState(plan, plannedAt, results, copies, announced, completed || state.completed(),
                failed || state.failed());
    }
}
