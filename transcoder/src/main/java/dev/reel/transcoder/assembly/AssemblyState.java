package dev.reel.transcoder.assembly;

import dev.reel.events.ChunkCompleted;
import dev.reel.events.Rendition;
import dev.reel.events.TranscodePlanned;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the assembler knows of one video: its plan, the results of its chunk tasks, the renditions the planning
 * worker's copy announced, and what the assembler itself has published. Kept in a Kafka Streams store (changelogged),
 * so a restarted assembler knows exactly what it had published.
 *
 * @param plan      the plan, or {@code null} before it was read
 * @param plannedAt when the plan was written (what speeds are measured from)
 * @param results   the chunk tasks done, by task index (the first result of each task counts)
 * @param copies    the copied renditions (passthrough, its audio) as their worker announced them complete, by name
 * @param announced every rendition announced so far, by name: the segments its stored playlist lists, or
 *                  {@link #COMPLETE} once its final playlist is stored and announced
 * @param completed whether {@code transcode.completed} was published
 * @param failed    whether the video failed ({@code transcode.failed} read, or written by the assembler)
 */
public record AssemblyState(TranscodePlanned plan, Instant plannedAt, Map<Integer, ChunkCompleted> results,
        Map<String, Rendition> copies, Map<String, Integer> announced, boolean completed, boolean failed) {

    /** In {@link #announced}: the rendition is complete. */
    public static final int COMPLETE = -1;

    public AssemblyState {
        results = new TreeMap<>(results);
        copies = new TreeMap<>(copies);
        announced = new TreeMap<>(announced);
    }

    /** A video nothing is known of yet. */
    public static AssemblyState empty() {
        return new AssemblyState(null, null, Map.of(), Map.of(), Map.of(), false, false);
    }

    /** Whether nothing more will be published for the video. */
    public boolean finished() {
        return completed || failed;
    }
}
