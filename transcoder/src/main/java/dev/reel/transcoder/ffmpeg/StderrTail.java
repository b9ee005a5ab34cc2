package dev.reel.transcoder.ffmpeg;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines ffmpeg wrote to stderr: the reason a failed job reports. Bounded, so a chatty ffmpeg never fills
 * the heap; thread-safe, as a reader thread appends while the job thread may read.
 */
public final class StderrTail {

    private final int maxLines;
    private final Deque<String> lines = new ArrayDeque<>();

    public StderrTail(int maxLines) {
        this.maxLines = maxLines;
    }

    public synchronized void add(String line) {
        if (line.isBlank()) {
            return;
        }
        if (lines.size() == maxLines) {
            lines.removeFirst();
        }
        lines.addLast(line.strip());
    }

    /** The tail as one text of at most {@code maxChars}, keeping the end (ffmpeg says what went wrong last). */
    public synchronized String text(int maxChars) {
        String all = String.join("\n", lines);
        return all.length() <= maxChars ? all : "..." + all.substring(all.length() - maxChars + 3);
    }
}
