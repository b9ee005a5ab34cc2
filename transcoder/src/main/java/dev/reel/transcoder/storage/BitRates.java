package dev.reel.transcoder.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rendition's bit rates as HLS defines them (RFC 8216 4.3.4.2), measured on the segments ffmpeg wrote rather than
 * taken from the encoder settings: {@code BANDWIDTH} is the peak segment bit rate, {@code AVERAGE-BANDWIDTH} the
 * whole rendition's size over its duration.
 *
 * @param peak    bits per second of the densest segment, rounded up
 * @param average bits per second over all segments, rounded down (so never above the peak)
 */
public record BitRates(long peak, long average) {

    static BitRates measure(Path dir, MediaPlaylist playlist) throws IOException {
        double peak = 0;
        long totalBytes = 0;
        double totalSeconds = 0;
        for (MediaPlaylist.Segment segment : playlist.segments()) {
            long bytes = Files.size(dir.resolve(segment.uri()));
            double seconds = segment.durationSeconds();
            if (seconds > 0) {
                peak = Math.max(peak, bytes * 8 / seconds);
            }
            totalBytes += bytes;
            totalSeconds += seconds;
        }
        long average = totalSeconds > 0 ? (long) Math.floor(totalBytes * 8 / totalSeconds) : 0;
        return of(Math.max(1, (long) Math.ceil(peak)), Math.max(1, average));
    }

    static BitRates of(long peak, long average) {
        return new BitRates(Math.max(peak, average), Math.min(peak, average));
    }
}
