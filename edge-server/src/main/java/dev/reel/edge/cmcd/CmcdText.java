package dev.reel.edge.cmcd;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * CMCD text read one character at a time, in place: either as it stands in the raw query (URL-encoded: {@code %XX}
 * escapes and {@code +} decoded on the way) or already decoded. It knows where a member ends (a comma outside a quoted
 * string, where a backslash escapes the next character), so the parser reads each member once, without splitting,
 * copying or decoding the text first: on every tagged request, decoding then splitting was two thirds of the parser's
 * time (JFR of {@code CmcdCostBenchmark}).
 *
 * <p>Encoded text whose escapes are not all well-formed ASCII ones (a broken escape, UTF-8) stops at the first such
 * character and reports {@link #notAscii()}: the caller decodes it with Jetty's decoder, which decides, and reads the
 * decoded text instead.
 */
final class CmcdText {

    /** {@link #ch} past the end (or after reading stopped). */
    static final int END = -1;

    private final String text;
    private final int end;
    private final boolean encoded;
    private final int maxLength;
    /** Where {@link #ch} starts in {@link #text}, and where the character after it starts. */
    private int at;
    private int next;
    private int decoded;
    private boolean quoted;
    private boolean escapedNext;
    private boolean notAscii;
    private boolean tooLong;
    /** The current character, or {@link #END}. */
    int ch;

    /**
     * @param encoded   whether {@code text[from, to)} is URL-encoded
     * @param maxLength the most decoded characters read; past it, reading stops and {@link #tooLong()} is true
     */
    CmcdText(String text, int from, int to, boolean encoded, int maxLength) {
        this.text = text;
        this.end = to;
        this.encoded = encoded;
        this.maxLength = maxLength;
        this.next = from;
        read();
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
        at = next;
        if (next >= end) {
            ch = END;
            return;
        }
        int c = text.charAt(next++);
        if (encoded) {
            if (c == '%') {
                int high = next + 1 < end ? hexDigit(text.charAt(next)) : -1;
                int low = high < 0 ? -1 : hexDigit(text.charAt(next + 1));
                if (low < 0 || high >= 8) {
                    notAscii = true;
                    stop();
                    return;
                }
                c = high << 4 | low;
                next += 2;
            } else if (c == '+') {
                c = ' ';
            } else if (c >= 0x80) {
                notAscii = true;
                stop();
                return;
            }
        }
        if (++decoded > maxLength) {
            tooLong = true;
            stop();
            return;
        }
        ch = c;
    }

    private void stop() {
        ch = END;
        next = end;
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

    /** Where the current character starts in the text as given (encoded or not). */
    int position() {
        return at;
    }

    /**
     * The decoded text from {@code from} to {@code to} ({@link #position()}s already read): a substring unless it holds
     * escapes, which were all read as ASCII.
     */
    String decoded(int from, int to) {
        if (encoded && (text.indexOf('%', from, to) >= 0 || text.indexOf('+', from, to) >= 0)) {
            return UrlEncoded.decodeString(text, from, to - from, StandardCharsets.UTF_8);
        }
        return text.substring(from, to);
    }

    /** Whether encoded text stopped at an escape that is not well-formed ASCII, or at a non-ASCII character. */
    boolean notAscii() {
        return notAscii;
    }

    /** Whether reading stopped past the most characters allowed. */
    boolean tooLong() {
        return tooLong;
    }
}
