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
    private String webhookLatency = "";
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

    /** Event time to arrival at the webhook receiver, in ms, sorted: its percentiles go below the fault table. */
    synchronized void webhookLatency(List<Long> sortedMillis) {
        if (sortedMillis.isEmpty()) {
            throw new IllegalArgumentException("no webhook latencies");
        }
        webhookLatency = String.format(Locale.ROOT,
                "%nWebhook delivery latency, event time to the README's receiver, under 2 viewers and a transcode: "
                        + "%d events, p50 %d ms, p95 %d ms, max %d ms%n",
                sortedMillis.size(), percentile(sortedMillis, 0.50), percentile(sortedMillis, 0.95), sortedMillis.getLast());
        System.out.print(webhookLatency);
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    synchronized void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder("| fault | load held | time to recover | lost |\n|---|---|---|---|\n");
        for (Line line : lines) {
            text.append("| ").append(line.fault()).append(" | ").append(line.load()).append(" | ")
                    .append(seconds(line.recovery())).append(" (").append(line.recoveredWhen()).append(") | ")
                    .append(line.lost()).append(" |\n");
        }
        text.append(webhookLatency);
        notes.forEach(note -> text.append("\n- ").append(note));
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        System.out.println(text);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
