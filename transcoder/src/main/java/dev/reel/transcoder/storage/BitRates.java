package dev.reel.transcoder.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A rendition's bit rates as HLS defines them (RFC 8216 4.3.4.2), measured on the segments ffmpeg wrote rather than
 * taken from the encoder settings: {@code BANDWIDTH} is the peak segment bit rate, {@code AVERAGE-BANDWIDTH} the
 * whole rendition's size over its duration.
 *
 * @param peak    bits per second of the densest segment, rounded up
 * @param average bits per second over all segments, rounded down (so never above the peak)
 */
public record BitRates(long peak, long average) {

    /** Segments shorter than this do not count towards the peak, unless all are (see {@link #measure}). */
    static final double MIN_PEAK_SECONDS = 1.0;

    /** A segment's size and duration. */
    public record Sized(long bytes, double seconds) {
    }

    /** Peak and average of the segments a playlist lists, from the sizes of the files ffmpeg wrote. */
    static BitRates measure(Path dir, MediaPlaylist playlist) throws IOException {
        List<Sized> segments = new ArrayList<>();
        for (MediaPlaylist.Segment segment : playlist.segments()) {
            segments.add(new Sized(Files.size(dir.resolve(segment.uri())), segment.durationSeconds()));
        }
        return of(segments);
    }

    /**
     * Peak and average of segments. A segment under {@value #MIN_PEAK_SECONDS} s (an audio rendition's last one, holding
     * the one AAC frame that runs past the video's end) does not count towards the peak, unless all are: its fragment
     * header alone would read as a spike no player ever sees.
     */
    public static BitRates of(List<Sized> segments) {
        double peak = 0;
        double shortPeak = 0;
        long totalBytes = 0;
        double totalSeconds = 0;
        for (Sized segment : segments) {
            double seconds = segment.seconds();
            if (seconds >= MIN_PEAK_SECONDS) {
                peak = Math.max(peak, segment.bytes() * 8 / seconds);
            } else if (seconds > 0) {
                shortPeak = Math.max(shortPeak, segment.bytes() * 8 / seconds);
            }
            totalBytes += segment.bytes();
            totalSeconds += seconds;
        }
        if (peak == 0) {
            peak = shortPeak;
        }
        long average = totalSeconds > 0 ? (long) Math.floor(totalBytes * 8 / totalSeconds) : 0;
        return of(Math.max(1, (long) Math.ceil(peak)), Math.max(1, average));
    }

    static BitRates of(long peak, long average) {
        return new BitRates(Math.max(peak, average), Math.min(peak, average));
    }
}
