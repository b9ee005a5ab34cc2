package dev.reel.ingest.captions;

/** How a line of a refused file is quoted in the refusal. */
final class Lines {

    private static final int EXCERPT = 60;

    private Lines() {
    }

    static String excerpt(String line) {
        String printable = line.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= EXCERPT ? printable : printable.substring(0, EXCERPT) + "...";
    }
}
