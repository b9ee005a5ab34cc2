package dev.reel.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line per fault: the load it ran under and how it held, the time to recover, and what was lost; and the timings
 * the run measured on the way (notes).
 */
final class FaultReport {

    record Line(String fault, String load, Duration recovery, String recoveredWhen, String lost) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** A measurement worth keeping with the report. */
    synchronized void note(String measurement) {
        notes.add(measurement);
        System.out.println("MEASURED " + measurement);
    }

    synchronized void add(String fault, String load, Duration recovery, String recoveredWhen, String lost) {
        lines.add(new Line(fault, load, recovery, recoveredWhen, lost));
        System.out.println("FAULT " + fault + " | load: " + load + " | recovered in " + seconds(recovery) + " (" + recoveredWhen
                + ") | lost: " + lost);
    }

    synchronized void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder("| fault | load held | time to recover | lost |\n|---|---|---|---|\n");
        for (Line line : lines) {
            text.append("| ").append(line.fault()).append(" | ").append(line.load()).append(" | ")
                    .append(seconds(line.recovery())).append(" (").append(line.recoveredWhen()).append(") | ")
                    .append(line.lost()).append(" |\n");
        }
        notes.forEach(note -> text.append("\n- ").append(note));
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        System.out.println(text);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
