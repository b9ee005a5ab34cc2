package dev.reel.transcoder.plan;

import dev.reel.transcoder.ffmpeg.TimeBase;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import java.util.ArrayList;
import java.util.List;

/**
 * A video's segments grouped into chunks: each chunk is a whole number of segments and starts at a keyframe of the
 * original, so a worker decodes it from its own first packet and nothing before.
 *
 * @param cuts   where every segment starts (every rendition keys there)
 * @param chunks the index of each chunk's first segment, rising, from 0
 */
public record ChunkLayout(SegmentPlan cuts, List<Integer> chunks) {

    public ChunkLayout {
        chunks = List.copyOf(chunks);
        if (chunks.isEmpty() || chunks.getFirst() != 0) {
            throw new IllegalArgumentException("the first chunk starts with the first segment");
        }
        for (int i = 1; i < chunks.size(); i++) {
            if (chunks.get(i) <= chunks.get(i - 1) || chunks.get(i) >= cuts.count()) {
                throw new IllegalArgumentException("chunks must start at rising segments: " + chunks);
            }
        }
    }

    /**
     * Chunks of a copy's segments (whose starts are all keyframes of the original): consecutive segments until a
     * chunk lasts {@code chunkSeconds}; a last chunk shorter than half of that joins the one before it.
     */
    public static ChunkLayout ofCopy(SegmentPlan cuts, double chunkSeconds) {
        List<Integer> chunks = new ArrayList<>(List.of(0));
        double current = 0;
        for (int i = 0; i < cuts.count(); i++) {
            if (current >= chunkSeconds) {
                chunks.add(i);
                current = 0;
            }
            current += cuts.seconds(i);
        }
        if (chunks.size() > 1 && current < chunkSeconds / 2) {
            chunks.removeLast();
        }
        return new ChunkLayout(cuts, chunks);
    }

    /**
     * Chunks of an original that is encoded whole: each chunk starts at the keyframe of the original nearest to
     * {@code chunkSeconds} after the previous one (at least half of it after; a last piece shorter than half of it
     * joins the chunk before; no chunk starts where the end of the video is as near), and is cut into segments of {@code segmentSeconds} from its start (a last piece under a
     * quarter segment joins the one before it, as in {@link SegmentPlan#every}).
     * An original keyed rarely gets fewer, longer chunks; one keyed only once is one chunk.
     */
    public static ChunkLayout ofEncode(VideoPackets packets, double chunkSeconds, int segmentSeconds) {
        TimeBase tb = packets.timeBase();
        long start = packets.start();
        long end = packets.end();
        long chunkTicks = ticks(tb, chunkSeconds);
        List<Long> bounds = new ArrayList<>(List.of(start));
        List<Long> keyframes = packets.keyframeTimes();
        while (true) {
            long previous = bounds.getLast();
            long wanted = previous + chunkTicks;
            Long best = null;
            for (long k : keyframes) {
                if (k >= previous + chunkTicks / 2 && end - k >= chunkTicks / 2
                        && (best == null || Math.abs(k - wanted) < Math.abs(best - wanted))) {
                    best = k;
                }
            }
            if (best == null || Math.abs(end - wanted) <= Math.abs(best - wanted)) {
                break; // the end of the video is as near as any keyframe: the last chunk ends there
            }
            bounds.add(best);
        }
        List<Long> cuts = new ArrayList<>();
        List<Integer> chunks = new ArrayList<>();
        for (int c = 0; c < bounds.size(); c++) {
            long from = bounds.get(c);
            long to = c + 1 < bounds.size() ? bounds.get(c + 1) : end;
            SegmentPlan inside = SegmentPlan.every(tb, from, to, segmentSeconds);
            chunks.add(cuts.size());
            cuts.addAll(inside.cuts());
        }
        return new ChunkLayout(new SegmentPlan(tb, cuts, end), chunks);
    }

    /** One chunk: the whole video. */
    public static ChunkLayout whole(SegmentPlan cuts) {
        return new ChunkLayout(cuts, List.of(0));
    }

    public int count() {
        return chunks.size();
    }

    /** The index of chunk {@code c}'s first segment. */
    public int firstSegment(int c) {
        return chunks.get(c);
    }

    /** How many segments chunk {@code c} has. */
    public int segments(int c) {
        return (c + 1 < chunks.size() ? chunks.get(c + 1) : cuts.count()) - chunks.get(c);
    }

    /** The timestamp of chunk {@code c}'s first frame. */
    public long start(int c) {
        return cuts.start(firstSegment(c));
    }

    /** The timestamp chunk {@code c} ends before: the next chunk's start, or the video's end. */
    public long end(int c) {
        return c + 1 < chunks.size() ? start(c + 1) : cuts.end();
    }

    /** Where chunk {@code c}'s segments start. */
    public List<Long> cutsOf(int c) {
        return cuts.cuts().subList(firstSegment(c), firstSegment(c) + segments(c));
    }

    public double seconds(int c) {
        return cuts.timeBase().seconds(end(c) - start(c));
    }

    private static long ticks(TimeBase tb, double seconds) {
        return Math.round(seconds * tb.den() / tb.num());
    }
}
