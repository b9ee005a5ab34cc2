package dev.reel.transcoder.ffmpeg;

import java.util.Optional;

/**
 * Reads ffmpeg's {@code -progress pipe:1} output: blocks of {@code key=value} lines, each ended by a
 * {@code progress=continue} or {@code progress=end} line. Feed it lines; it answers a {@link Progress} per block.
 */
public final class ProgressParser {

    private double outTimeSeconds;
    private double speed;

    /** The progress a line completes, if it ends a block. */
    public Optional<Progress> accept(String line) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
            return Optional.empty();
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        switch (key) {
            // out_time_us and out_time_ms are both microseconds (a historic misnomer in ffmpeg); N/A before the first frame
            case "out_time_us", "out_time_ms" -> number(value).ifPresent(us -> outTimeSeconds = Math.max(0, us / 1_000_000));
            case "speed" -> speed = number(value.endsWith("x") ? value.substring(0, value.length() - 1) : value).orElse(0.0);
            case "progress" -> {
                return Optional.of(new Progress(outTimeSeconds, Math.max(0, speed), "end".equals(value)));
            }
            default -> {
                // frame, fps, bitrate, ...: not reported
            }
        }
        return Optional.empty();
    }

    private static Optional<Double> number(String value) {
        try {
            double parsed = Double.parseDouble(value);
            return Double.isFinite(parsed) ? Optional.of(parsed) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
