package dev.reel.transcoder.ffmpeg;

import java.util.ArrayList;
import java.util.List;

/**
 * The video packets of an original in decode order, as ffprobe lists them from the container's index: presentation
 * timestamps, sizes and keyframe flags. Enough to know where segments can start (keyframes), how long they are, and
 * how many bits each carries, without decoding a frame.
 *
 * @param timeBase  the stream's time base
 * @param pts       presentation timestamps, in decode order
 * @param sizes     packet sizes in bytes
 * @param keyframes whether each packet starts a keyframe
 * @param end       the presentation end of the stream (last frame's timestamp plus its duration), in ticks
 */
public record VideoPackets(TimeBase timeBase, long[] pts, int[] sizes, boolean[] keyframes, long end) {

    public VideoPackets {
        if (pts.length == 0 || pts.length != sizes.length || pts.length != keyframes.length) {
            throw new IllegalArgumentException("packets need as many timestamps, sizes and flags, and at least one");
        }
    }

    public int count() {
        return pts.length;
    }

    /** The presentation start: the smallest timestamp. */
    public long start() {
        long start = Long.MAX_VALUE;
        for (long p : pts) {
            start = Math.min(start, p);
        }
        return start;
    }

    /** Keyframe timestamps in decode order (which, for keyframes, is presentation order). */
    public List<Long> keyframeTimes() {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < pts.length; i++) {
            if (keyframes[i]) {
                times.add(pts[i]);
            }
        }
        return times;
    }

    /** Whether the first packet in decode order is a keyframe: a stream that does not start with one cannot be cut there. */
    public boolean startsWithKeyframe() {
        return keyframes[0];
    }
}
