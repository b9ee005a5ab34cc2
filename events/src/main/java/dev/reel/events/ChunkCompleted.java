package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonEmptyListOf;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.positive;
import static dev.reel.events.Checks.urlSafeName;
import static dev.reel.events.Checks.validVideoId;

import java.util.List;

/**
 * A chunk task is done: every segment it lists is stored under its final name. Written to {@code reel.transcode}
 * (keyed by the video, so it is ordered with the video's other events) by the worker that did it, after the last
 * segment was stored; the assembler publishes playlists from these.
 *
 * @param videoId       the video
 * @param planId        the plan of the task
 * @param task          the task's index in the plan
 * @param worker        the worker that did it
 * @param attempt       the task's delivery: 1 the first time, more when an earlier worker died or failed
 * @param elapsedMillis wall-clock time of the attempt
 * @param cpuMillis     CPU time ffmpeg used (user + system), as ffmpeg's {@code -benchmark} reports it
 * @param outputs       what it stored, per rendition
 */
public record ChunkCompleted(String videoId, String planId, int task, String worker, int attempt, long elapsedMillis,
        long cpuMillis, List<ChunkOutput> outputs) implements EventData {

    public ChunkCompleted {
        validVideoId(videoId);
        urlSafeName(planId, "planId");
        nonNegative(task, "task");
        nonBlank(worker, "worker");
        positive(attempt, "attempt");
        nonNegative(elapsedMillis, "elapsedMillis");
        nonNegative(cpuMillis, "cpuMillis");
        outputs = nonEmptyListOf(outputs, "outputs");
    }

    /**
     * One rendition's part of a chunk.
     *
     * @param name        the rendition
     * @param codecs      RFC 6381 codecs of what was encoded, e.g. {@code avc1.64001f} or {@code mp4a.40.2}
     * @param initDigest  SHA-256 of the init segment's sample description ({@code stsd}): equal in every chunk of a
     *                    rendition, or its chunks could not share one init segment
     * @param segments    the segments stored, in order
     */
    public record ChunkOutput(String name, String codecs, String initDigest, List<ChunkSegment> segments) {

        public ChunkOutput {
            urlSafeName(name, "name");
            nonBlank(codecs, "codecs");
            nonBlank(initDigest, "initDigest");
            segments = nonEmptyListOf(segments, "segments");
        }
    }

    /**
     * A stored segment.
     *
     * @param number          its number ({@code seg-NNNNN.m4s})
     * @param durationSeconds its duration
     * @param bytes           its size
     */
    public record ChunkSegment(int number, double durationSeconds, long bytes) {

        public ChunkSegment {
            positive(number, "number");
            positive(durationSeconds, "durationSeconds");
            positive(bytes, "bytes");
        }
    }
}
