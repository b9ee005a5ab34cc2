package dev.reel.edge.cmcd;

/**
 * CMCD text read one character at a time: either as it stands in the raw query (URL-encoded: {@code %XX} escapes and
 * {@code +} are decoded first, in one pass into a character array) or already decoded. It knows where a member ends (a
 * comma outside a quoted string, where a backslash escapes the next character), so the parser reads each member once,
 * without splitting or copying the text: on every tagged request, Jetty's decoding to a string then splitting was two
 * thirds of the parser's time (JFR of {@code CmcdCostBenchmark}); decoding as it read, a character at a time, made the
 * parser about a third slower than decoding first (timed alone on the player's keys).
 *
 * <p>Encoded text whose escapes are not all well-formed ASCII ones (a broken escape, UTF-8) is not read at all and
 * reports {@link #notAscii()}: the caller decodes it with Jetty's decoder, which decides, and reads the decoded text
 * instead.
 */
final class CmcdText {

    /** {@link #ch} past the end (or after reading stopped). */
    static final int END = -1;

    /** The decoded characters; only the first {@link #length} count. */
    private final char[] chars;
    private final int length;
    private int next;
    private boolean quoted;
    private boolean escapedNext;
    private boolean notAscii;
    private boolean tooLong;
    /** The current character, or {@link #END}. */
    int ch;

    /**
     * @param encoded   whether {@code text[from, to)} is URL-encoded
     * @param maxLength the most decoded characters read; text longer than that is not read, and {@link #tooLong()} is
     *                  true
     */
    CmcdText(String text, int from, int to, boolean encoded, int maxLength) {
        chars = new char[Math.min(to - from, maxLength + 1)];
        length = encoded ? decode(text, from, to) : copy(text, from, to);
        if (length > maxLength) {
            tooLong = true;
        }
        next = notAscii || tooLong ? this.length : 0;
        read();
    }

    private int copy(String text, int from, int to) {
        int count = Math.min(to - from, chars.length);
        text.getChars(from, from + count, chars, 0);
        return to - from;
    }

    /** Decodes into {@link #chars}; the decoded length, or any number past them when there are more. */
    private int decode(String text, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++, count++) {
            if (count == chars.length) {
                return count + 1;
            }
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < to ? hexDigit(text.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hexDigit(text.charAt(i + 2));
                if (low < 0 || high >= 8) {
                    notAscii = true;
                    return count;
                }
                c = (char) (high << 4 | low);
                i += 2;
            } else if (c == '+') {
                c = ' ';
            } else if (c >= 0x80) {
                notAscii = true;
                return count;
            }
            chars[count] = c;
        }
        return count;
    }

    /** Moves to the next character. */
    void advance() {
        if (ch == END) {
            return;
        }
        if (escapedNext) {
            escapedNext = false;
        } else if (quoted && ch == '\\') {
            escapedNext = true;
        } else if (ch == '"') {
            quoted = !quoted;
        }
        read();
    }

    private void read() {
        ch = next < length ? chars[next++] : END;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    /** Whether the current member ends here: at the end, or at a comma outside a quoted string. */
    boolean atMemberEnd() {
        return ch == END || ch == ',' && !quoted;
    }

    void skipWhitespace() {
        while (ch != END && Character.isWhitespace(ch)) {
            advance();
        }
    }

    /** Whether only whitespace is left of the member. */
    boolean onlyWhitespaceLeft() {
        skipWhitespace();
        return atMemberEnd();
    }

    /** The last character of the member that is not whitespace ({@link #END} if none), reading to its end. */
    int lastOfMember() {
        int last = END;
        while (!atMemberEnd()) {
            if (!Character.isWhitespace(ch)) {
                last = ch;
            }
            advance();
        }
        return last;
    }

    /** Moves to the start of the next member. */
    void nextMember() {
        while (!atMemberEnd()) {
            advance();
        }
        advance();
    }

    /** Where the current character is, in the decoded text. */
    int position() {
        return next - 1;
    }

    /** The decoded text from {@code from} to {@code to} ({@link #position()}s already read). */
    String decoded(int from, int to) {
        return new String(chars, from, to - from);
    }

    /** Whether encoded text has an escape that is not well-formed ASCII, or a character that is not ASCII. */
    boolean notAscii() {
        return notAscii;
    }

    /** Whether the text is longer than the most characters allowed, and was not read. */
    boolean tooLong() {
        return tooLong;
    }
}
