package dev.reel.ingest.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line progress bar for a terminal: bar, percentage, bytes, rate and ETA, redrawn in place with {@code \r} at
 * most a few times a second. The rate counts only bytes sent in this run (a resumed upload starts from its offset).
 */
public final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final long startNanos;
    private long baseBytes = -1;
    private long lastDraw;

    public ProgressBar(PrintStream out, long startNanos) {
        this.out = out;
        this.startNanos = startNanos;
    }

    /** Redraws when enough time passed since the last redraw, or at the end. */
    public void update(long sent, long total, long nowNanos) {
        if (baseBytes < 0) {
            baseBytes = sent;
        }
        if (sent < total && nowNanos - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = nowNanos;
        out.print("\r" + render(sent, total, sent - baseBytes, Duration.ofNanos(nowNanos - startNanos)));
        if (sent >= total) {
            out.println();
        }
        out.flush();
    }

    /** The line for {@code sent} of {@code total} bytes, {@code sentThisRun} of them in {@code elapsed}. */
    static String render(long sent, long total, long sentThisRun, Duration elapsed) {
        double fraction = total == 0 ? 1 : (double) sent / total;
        int full = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        double rate = sentThisRun / seconds;
        String eta = rate <= 0 ? "--:--" : clock((long) Math.ceil((total - sent) / rate));
        return String.format(Locale.ROOT, "[%s%s] %5.1f%% %s / %s  %s/s  ETA %s",
                "#".repeat(full), "-".repeat(WIDTH - full), fraction * 100, bytes(sent), bytes(total), bytes((long) rate), eta);
    }

    static String bytes(long value) {
        if (value < 1024) {
            return value + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double scaled = value;
        int unit = -1;
        while (scaled >= 1024 && unit < units.length - 1) {
            scaled /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", scaled, units[unit]);
    }

    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%02d:%02d", m, s);
    }
}
