package dev.reel.events;

import static dev.reel.events.Checks.listOf;
import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonEmptyListOf;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.positive;
import static dev.reel.events.Checks.urlSafeName;
import static dev.reel.events.Checks.validVideoId;

import java.util.List;

/**
 * How a video's renditions will be made; written to {@code reel.transcode} by the worker that took the upload, after
 * {@code transcode.started} and before any of the plan's tasks is done. The assembler publishes the ladder from it and
 * the tasks' results.
 *
 * @param videoId         the video
 * @param worker          the worker that planned it
 * @param attempt         the upload's delivery
 * @param planId          identifies the plan: the same original planned with the same settings gets the same id, so
 *                        results of a task planned twice (a retried upload) count once
 * @param renditions      every rendition, in the order they are announced (audio first, then lowest first)
 * @param tasks           the chunk tasks, in the order they were requested
 * @param chunkCount      how many chunks the video's segments are grouped into
 * @param segmentCount    how many segments every video rendition has
 * @param targetDuration  every playlist's {@code EXT-X-TARGETDURATION}
 * @param durationSeconds the video's duration
 * @param posterKey       the poster's object key, stored before any task can finish
 * @param storyboard      the storyboard the tasks' tiles make, composed by the assembler when the video completes;
 *                        {@code null} for none (plans written before storyboards existed)
 */
public record TranscodePlanned(String videoId, String worker, int attempt, String planId, List<PlanRendition> renditions,
        List<PlanTask> tasks, int chunkCount, int segmentCount, int targetDuration, double durationSeconds,
        String posterKey, Storyboard storyboard) implements EventData {

    public TranscodePlanned {
        validVideoId(videoId);
        nonBlank(worker, "worker");
        positive(attempt, "attempt");
        urlSafeName(planId, "planId");
        renditions = nonEmptyListOf(renditions, "renditions");
        tasks = listOf(tasks, "tasks");
        positive(chunkCount, "chunkCount");
        positive(segmentCount, "segmentCount");
        positive(targetDuration, "targetDuration");
        positive(durationSeconds, "durationSeconds");
        nonBlank(posterKey, "posterKey");
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).task() != i) {
                throw new IllegalArgumentException("tasks must be numbered from 0 in order");
            }
        }
    }

    /** A plan without a storyboard. */
    public TranscodePlanned(String videoId, String worker, int attempt, String planId, List<PlanRendition> renditions,
            List<PlanTask> tasks, int chunkCount, int segmentCount, int targetDuration, double durationSeconds,
            String posterKey) {
        this(videoId, worker, attempt, planId, renditions, tasks, chunkCount, segmentCount, targetDuration, durationSeconds,
                posterKey, null);
    }

    /**
     * A rendition of the plan.
     *
     * @param name      e.g. {@code 720p}, {@code audio}, {@code source}
     * @param kind      video or audio
     * @param width     pixels (0 for audio)
     * @param height    pixels (0 for audio)
     * @param frameRate frames per second (0 for audio)
     * @param copied    made by the planning worker's copy of the original (a passthrough, or its audio), which
     *                  announces it itself; otherwise made by chunk tasks and announced by the assembler
     * @param interim   not part of the final ladder (a passthrough above the ladder's caps)
     */
    public record PlanRendition(String name, RenditionKind kind, int width, int height, double frameRate, boolean copied,
            boolean interim) {

        public PlanRendition {
            urlSafeName(name, "name");
            if (kind != RenditionKind.VIDEO && kind != RenditionKind.AUDIO) {
                throw new IllegalArgumentException("a plan has video and audio renditions, not " + kind);
            }
            nonNegative(width, "width");
            nonNegative(height, "height");
            nonNegative(frameRate, "frameRate");
        }
    }

    /**
     * A chunk task of the plan.
     *
     * @param task         its index, from 0
     * @param chunk        the chunk it encodes, from 0 (the audio task: 0, the whole video)
     * @param renditions   the renditions it encodes
     * @param firstSegment the number of its first segment
     * @param segmentCount how many segments it makes per rendition; 0 when not known before (the audio's)
     */
    public record PlanTask(int task, int chunk, List<String> renditions, int firstSegment, int segmentCount) {

        public PlanTask {
            nonNegative(task, "task");
            nonNegative(chunk, "chunk");
            renditions = nonEmptyListOf(renditions, "renditions");
            renditions.forEach(name -> urlSafeName(name, "rendition name"));
            positive(firstSegment, "firstSegment");
            nonNegative(segmentCount, "segmentCount");
        }
    }
}
