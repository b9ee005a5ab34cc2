package dev.reel.transcoder.it;

import dev.reel.events.ChunkCompleted;
import dev.reel.events.ChunkRequested;
import dev.reel.events.Envelope;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.topics.Topics;
import java.time.Duration;
import java.util.List;

/**
 * The single-process encode of a chunked video's rungs, for comparison: one task over the whole video, every rung of
 * its video tasks with one decode, the same cuts (the command every chunk runs, over the first and only chunk). Sent to
 * {@code reel.chunks} under a video id of its own, so it is stored apart and the assembler (which has no plan for it)
 * publishes nothing; its {@code chunk.completed} says what was stored.
 */
final class SingleProcessEncode {

    private SingleProcessEncode() {
    }

    /** Requests it for the video tasks among {@code tasks} and waits for its result. */
    static ChunkCompleted run(Uploads uploads, EventLog transcode, String singleId, List<ChunkRequested> tasks,
            Duration deadline) throws Exception {
        List<ChunkRequested> video = tasks.stream().filter(t -> !t.audio()).toList();
        ChunkRequested first = video.getFirst();
        ChunkRequested whole = new ChunkRequested(singleId, "psingle", 0, 1, first.objectKey(), first.timeBaseNum(),
                first.timeBaseDen(), first.sourceFrameRate(), first.videoStart(), first.videoStart(),
                video.stream().mapToLong(ChunkRequested::end).max().orElseThrow(),
                video.stream().flatMap(t -> t.cuts().stream()).distinct().sorted().toList(), 1,
                video.stream().flatMap(t -> t.renditions().stream()).distinct().toList(), first.preset());
        uploads.send(Topics.CHUNKS, singleId, new EventSerializer().serialize(Topics.CHUNKS, Envelope.of("test/1", whole)));
        return transcode.await(singleId, "the single-process encode", deadline, e -> EventLog.has(e, ChunkCompleted.class))
                .stream().map(Envelope::data).filter(ChunkCompleted.class::isInstance).map(ChunkCompleted.class::cast)
                .findFirst().orElseThrow();
    }
}
