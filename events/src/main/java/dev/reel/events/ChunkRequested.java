package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonEmptyListOf;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.positive;
import static dev.reel.events.Checks.urlSafeName;
import static dev.reel.events.Checks.validVideoId;

import java.util.List;

/**
 * A piece of a video's ladder that any transcoder worker may take: encode one chunk of the original (a whole number
 * of segments, starting at a keyframe of the original) to some renditions with one decode, or the original's audio
 * once. Written to {@code reel.chunks} by the worker that planned the video, in the order they should be done.
 * Self-contained: the worker that takes it needs nothing else.
 *
 * <p>Times are the original's video timestamps in its own time base ({@code timeBaseNum/timeBaseDen} seconds per
 * tick): exact, so a chunk starts on its keyframe and the next chunk on the next.
 *
 * @param videoId         the video
 * @param planId          the plan this task belongs to (its results count only for that plan)
 * @param task            the task's index in the plan, from 0; with the plan, its identity
 * @param taskCount       how many tasks the plan has
 * @param objectKey       the original
 * @param timeBaseNum     the original's video time base, numerator
 * @param timeBaseDen     the original's video time base, denominator
 * @param sourceFrameRate the original's frame rate (a rendition at another rate is brought to it by a filter)
 * @param videoStart      the timestamp of the video's first frame
 * @param start           the timestamp of the chunk's first frame (a keyframe of the original)
 * @param end             the timestamp the chunk ends before: the next chunk's start, or the video's end
 * @param cuts            where the chunk's segments start, from {@code start}: every rendition keys exactly there
 * @param firstSegment    the number of the chunk's first segment ({@code seg-NNNNN.m4s}, from 1)
 * @param renditions      what to encode
 * @param preset          the x264 preset, the same for every chunk of the plan
 * @param storyboard      the storyboard tiles whose frames fall in the chunk, made from its decode; {@code null} for
 *                        none (the audio, a task of a chunk's lower rungs only, or a chunk no tile falls in)
 */
public record ChunkRequested(
        String videoId,
        String planId,
        int task,
        int taskCount,
        String objectKey,
        long timeBaseNum,
        long timeBaseDen,
        double sourceFrameRate,
        long videoStart,
        long start,
        long end,
        List<Long> cuts,
        int firstSegment,
        List<TaskRendition> renditions,
        String preset,
        StoryboardTiles storyboard) implements EventData {

    public ChunkRequested {
        validVideoId(videoId);
        urlSafeName(planId, "planId");
        nonNegative(task, "task");
        positive(taskCount, "taskCount");
        if (task >= taskCount) {
            throw new IllegalArgumentException("task " + task + " of " + taskCount);
        }
        nonBlank(objectKey, "objectKey");
        positive(timeBaseNum, "timeBaseNum");
        positive(timeBaseDen, "timeBaseDen");
        positive(sourceFrameRate, "sourceFrameRate");
        cuts = nonEmptyListOf(cuts, "cuts");
        if (cuts.getFirst() != start || start < videoStart) {
            throw new IllegalArgumentException("a chunk's first segment starts where it starts, at or after the video's");
        }
        for (int i = 1; i < cuts.size(); i++) {
            if (cuts.get(i) <= cuts.get(i - 1)) {
                throw new IllegalArgumentException("segment starts must rise: " + cuts);
            }
        }
        if (end <= cuts.getLast()) {
            throw new IllegalArgumentException("a chunk must end after its last segment starts");
        }
        positive(firstSegment, "firstSegment");
        renditions = nonEmptyListOf(renditions, "renditions");
        RenditionKind encodes = renditions.getFirst().kind();
        if (renditions.stream().anyMatch(r -> r.kind() != encodes)) {
            throw new IllegalArgumentException("a task encodes either video renditions or the audio");
        }
        nonBlank(preset, "preset");
        if (storyboard != null && (encodes == RenditionKind.AUDIO || storyboard.frames().getFirst() < start
                || storyboard.frames().getLast() >= end)) {
            throw new IllegalArgumentException("a video task's storyboard tiles are frames of its chunk");
        }
    }

    /** A task that makes no storyboard tiles. */
    public ChunkRequested(String videoId, String planId, int task, int taskCount, String objectKey, long timeBaseNum,
            long timeBaseDen, double sourceFrameRate, long videoStart, long start, long end, List<Long> cuts,
            int firstSegment, List<TaskRendition> renditions, String preset) {
        this(videoId, planId, task, taskCount, objectKey, timeBaseNum, timeBaseDen, sourceFrameRate, videoStart, start, end,
                cuts, firstSegment, renditions, preset, null);
    }

    /** Whether this task encodes the audio (its renditions are then the one audio rendition). */
    public boolean audio() {
        return renditions.getFirst().kind() == RenditionKind.AUDIO;
    }
}
