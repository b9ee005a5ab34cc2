package dev.reel.transcoder.plan;

import dev.reel.transcoder.ffmpeg.TimeBase;
import dev.reel.transcoder.ffmpeg.VideoPackets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a video's segments start, in the source's ticks: the instants at which every rendition of the video, the
 * passthrough included, has a keyframe, so players switch between them cleanly.
 *
 * @param timeBase the source video's time base
 * @param cuts     the start of each segment, rising; the first is the start of the video
 * @param end      the end of the video (the last frame's timestamp plus its duration)
 */
public record SegmentPlan(TimeBase timeBase, List<Long> cuts, long end) {

    public SegmentPlan {
        cuts = List.copyOf(cuts);
        if (cuts.isEmpty()) {
            throw new IllegalArgumentException("a video has at least one segment");
        }
        for (int i = 1; i < cuts.size(); i++) {
            if (cuts.get(i) <= cuts.get(i - 1)) {
                throw new IllegalArgumentException("segment starts must rise: " + cuts);
            }
        }
        if (end <= cuts.getLast()) {
            throw new IllegalArgumentException("the video must end after its last segment starts");
        }
    }

    /**
     * The cuts ffmpeg's HLS muxer makes when it copies a stream ({@code -c copy -f hls -hls_time T}): it closes a
     * segment at the first keyframe whose distance from the stream's first packet is at least {@code T} times the
     * number of segments written so far ({@code libavformat/hlsenc.c}, {@code end_pts = hls_time * number}). So a
     * stream keyed every 2.5 s is cut at 5, 10, 12.5, 17.5, 20 ... and one keyed every 8.3 s at every keyframe. The
     * passthrough of an original is cut there, and the encoded renditions are keyed at the same instants.
     */
    public static SegmentPlan hlsMuxerCuts(VideoPackets packets, int segmentSeconds) {
        long first = packets.pts()[0];
        List<Long> cuts = new ArrayList<>(List.of(first));
        long segmentMicros = segmentSeconds * 1_000_000L;
        for (long keyframe : packets.keyframeTimes()) {
            if (keyframe > cuts.getLast()
                    && packets.timeBase().atLeastMicros(keyframe - first, segmentMicros * cuts.size())) {
                cuts.add(keyframe);
            }
        }
        return new SegmentPlan(packets.timeBase(), cuts, packets.end());
    }

    /**
     * Segments of {@code segmentSeconds} from {@code start}, for renditions that are all encoded (each is keyed where
     * it is told); a last piece shorter than a quarter segment is added to the segment before it.
     */
    public static SegmentPlan every(TimeBase timeBase, long start, long end, int segmentSeconds) {
        List<Long> cuts = new ArrayList<>(List.of(start));
        long minTail = Math.round(segmentSeconds / 4.0 * timeBase.den() / timeBase.num());
        for (int i = 1;; i++) {
            long cut = start + Math.round((double) i * segmentSeconds * timeBase.den() / timeBase.num());
            if (cut >= end - minTail) {
                break;
            }
            cuts.add(cut);
        }
        return new SegmentPlan(timeBase, cuts, end);
    }

    public int count() {
        return cuts.size();
    }

    /** The start of segment {@code i} (from 0), in ticks. */
    public long start(int i) {
        return cuts.get(i);
    }

    /** The end of segment {@code i}: the next one's start, or the end of the video. */
    public long endOf(int i) {
        return i + 1 < cuts.size() ? cuts.get(i + 1) : end;
    }

    public double seconds(int i) {
        return timeBase.seconds(endOf(i) - start(i));
    }

    public double maxSeconds() {
        double max = 0;
        for (int i = 0; i < count(); i++) {
            max = Math.max(max, seconds(i));
        }
        return max;
    }

    public double durationSeconds() {
        return timeBase.seconds(end - cuts.getFirst());
    }

    /**
     * The playlists' {@code EXT-X-TARGETDURATION}: every segment's duration rounded to the nearest second must not
     * exceed it (RFC 8216 4.3.3.1), and a playlist that grows must keep it, so it is fixed from the plan; one frame is
     * added for an encoder that keys on the first frame at or after a planned instant.
     */
    public int targetDuration(double frameSeconds) {
        return (int) Math.max(1, Math.round(maxSeconds() + frameSeconds));
    }

    /** Where the encoder must key, in microseconds rounded down (ffmpeg keys the first frame at or after each). */
    public List<Long> keyframeMicros() {
        return cuts.stream().map(timeBase::floorMicros).toList();
    }

    /** The bytes each segment would carry, from the packets it presents: what a copy of the stream stores. */
    public long[] segmentBytes(VideoPackets packets) {
        long[] bytes = new long[count()];
        long[] starts = cuts.stream().mapToLong(Long::longValue).toArray();
        for (int i = 0; i < packets.count(); i++) {
            int found = Arrays.binarySearch(starts, packets.pts()[i]);
            int segment = found >= 0 ? found : -found - 2; // the last start at or before the packet
            if (segment >= 0) {
                bytes[segment] += packets.sizes()[i];
            }
        }
        return bytes;
    }

    /** The peak bit rate of a copy of the stream cut here: its HLS BANDWIDTH. */
    public long peakBitRate(VideoPackets packets) {
        long[] bytes = segmentBytes(packets);
        double peak = 0;
        for (int i = 0; i < count(); i++) {
            peak = Math.max(peak, bytes[i] * 8 / seconds(i));
        }
        return (long) Math.ceil(peak);
    }

    /** The average bit rate of a copy of the stream. */
    public long averageBitRate(VideoPackets packets) {
        long total = Arrays.stream(segmentBytes(packets)).sum();
        return (long) Math.floor(total * 8 / durationSeconds());
    }
}
