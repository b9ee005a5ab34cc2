package dev.reel.ingest.captions;

/** A caption file that cannot be used, with the 1-based line where the problem is (0 when it is the whole file). */
public final class CaptionFileException extends Exception {

    private final int line;

    public CaptionFileException(int line, String problem) {
        super(line > 0 ? "line " + line + ": " + problem : problem);
        this.line = line;
    }

    /** The 1-based line of the problem, or 0 when it is about the whole file. */
    public int line() {
        return line;
    }
}
