package dev.reel.edge.cmcd;

import dev.reel.events.SegmentServed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * Reads the {@code CMCD} query argument (CTA-5004: a structured-field dictionary of {@code key=value} pairs separated by
 * commas, as hls.js writes it) into {@link Cmcd}. It never fails a request: a value that is too long is ignored whole,
 * an unknown key or a malformed value is skipped, and each is counted ({@code reel_edge_cmcd_*} metrics). Bounded: at
 * most {@value #MAX_LENGTH} characters and {@value #MAX_KEYS} keys are looked at.
 *
 * <p>Written by hand because no Java library for CMCD or structured fields is a dependency here; it reads only the
 * value forms CTA-5004 uses: integers, decimals, quoted strings, tokens, booleans ({@code key} alone, {@code ?1},
 * {@code ?0}) and, from CMCD v2, inner lists, of which the first item is kept.
 */
public final class CmcdParser {

    /** The query argument hls.js (and dash.js) put CMCD in. */
    public static final String QUERY_ARGUMENT = "CMCD";
    static final int MAX_LENGTH = 1024;
    static final int MAX_KEYS = 40;

    /** An encoded argument longer than this cannot decode to {@value #MAX_LENGTH} characters or fewer of CMCD. */
    static final int MAX_ENCODED_LENGTH = 3 * MAX_LENGTH;
    /**
     * Every key of CMCD v1 and v2 (CTA-5004, CTA-5004-B), as {@link #keyCode key codes}, sorted; the ones Reel does not
     * keep are skipped without counting. Codes, not strings, so that looking a key up copies nothing.
     */
    private static final long[] KNOWN_KEYS = codes("br", "bl", "bs", "cid", "d", "dl", "mtp", "nor", "nrr", "ot",
            "pr", "rtp", "sf", "sid", "st", "su", "tb", "v", "ab", "lab", "lb", "tab", "tbl", "tpb", "cs", "dfa", "ltc", "pb",
            "sn", "sta", "bg", "bsa", "bsd", "bsda", "cdn", "ec", "nr", "pt", "msd", "e", "ts", "cen", "rc", "ttfb", "ttfbb",
            "ttlb", "url", "cmsdd", "cmsds", "smrt", "df", "h");
    private static final long SID = keyCode("sid");
    private static final long BL = keyCode("bl");
    private static final long MTP = keyCode("mtp");
    private static final long BR = keyCode("br");
    private static final long OT = keyCode("ot");
    private static final long SU = keyCode("su");
    /** Longest key a code holds: 12 letters of 5 bits each fit a long (CMCD keys have at most 5). */
    private static final int MAX_KEY_LENGTH = 12;
    private static final int MAX_INTEGER_DIGITS = 15;
    private static final int MAX_DECIMAL_DIGITS = 12;
    private static final int MAX_FRACTION_DIGITS = 3;
    private static final int MAX_SESSION_ID = 64;
    /** A key without a value is a true boolean. */
    private static final Slice TRUE = new Slice("?1", 0, 2);

    private final Counter parsed;
    private final Counter oversized;
    private final Counter undecodable;
    private final Counter unknownKeys;
    private final Counter malformedValues;
    private final Counter tooManyKeys;

    public CmcdParser(MeterRegistry registry) {
        this.parsed = Counter.builder("reel.edge.cmcd.requests").tag("result", "parsed")
                .description("requests that carried CMCD").register(registry);
        this.oversized = Counter.builder("reel.edge.cmcd.requests").tag("result", "oversized")
                .description("requests whose CMCD was longer than " + MAX_LENGTH + " characters and ignored").register(registry);
        this.undecodable = Counter.builder("reel.edge.cmcd.requests").tag("result", "undecodable")
                .description("requests whose CMCD argument was not valid URL encoding, ignored").register(registry);
        this.unknownKeys = Counter.builder("reel.edge.cmcd.ignored.keys").tag("reason", "unknown")
                .description("CMCD keys that are not CMCD's, skipped").register(registry);
        this.malformedValues = Counter.builder("reel.edge.cmcd.ignored.keys").tag("reason", "malformed")
                .description("CMCD keys whose value could not be read, skipped").register(registry);
        this.tooManyKeys = Counter.builder("reel.edge.cmcd.ignored.keys").tag("reason", "too-many")
                .description("CMCD keys beyond the first " + MAX_KEYS + ", skipped").register(registry);
    }

    /**
     * The CMCD of a request's raw query string (as sent, URL-encoded; {@code null} without one), {@link Cmcd#NONE} if it
     * has no {@code CMCD} argument. Only that argument is found and decoded: decoding every argument into a map (Jetty's
     * {@code Request.extractQueryParameters}) cost as much as the parsing, on every segment request. The first
     * {@code CMCD} argument counts, as with Jetty's {@code Fields.getValue}.
     */
    public Cmcd parseQuery(String rawQuery) {
        if (rawQuery == null) {
            return Cmcd.NONE;
        }
        int length = rawQuery.length();
        int name = QUERY_ARGUMENT.length();
        for (int start = 0; start < length;) {
            int end = rawQuery.indexOf('&', start);
            end = end < 0 ? length : end;
            if (end - start > name && rawQuery.charAt(start + name) == '='
                    && rawQuery.regionMatches(start, QUERY_ARGUMENT, 0, name)) {
                return parseEncoded(rawQuery, start + name + 1, end);
            }
            start = end + 1;
        }
        return Cmcd.NONE;
    }

    private Cmcd parseEncoded(String rawQuery, int from, int to) {
        if (to - from > MAX_ENCODED_LENGTH) {
            oversized.increment();
            return Cmcd.NONE;
        }
        String value;
        try {
            value = decodeAscii(rawQuery, from, to);
            if (value == null) {
                value = UrlEncoded.decodeString(rawQuery, from, to - from, StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException e) { // a broken %-escape or UTF-8 sequence
            undecodable.increment();
            return Cmcd.NONE;
        }
        return parse(value);
    }

    /**
     * The URL-decoded text of {@code raw[from, to)} if every %-escape in it is a well-formed ASCII one (what players
     * send: the escapes are CMCD's separators and quotes), else {@code null}, and Jetty's decoder, which validates UTF-8
     * byte by byte, decides. On every tagged request that decoder cost a third of the CMCD parsing (JFR of
     * {@code CmcdCostBenchmark}).
     */
    private static String decodeAscii(String raw, int from, int to) {
        byte[] decoded = new byte[to - from];
        int length = 0;
        for (int i = from; i < to; i++) {
            int c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < to ? hexDigit(raw.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hexDigit(raw.charAt(i + 2));
                if (low < 0 || high >= 8) {
                    return null;
                }
                c = high << 4 | low;
                i += 2;
            } else if (c == '+') {
                c = ' ';
            } else if (c >= 0x80) {
                return null;
            }
            decoded[length++] = (byte) c;
        }
        return new String(decoded, 0, length, StandardCharsets.ISO_8859_1); // ASCII: a copy, no decoding
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    /** The CMCD of a request's {@code CMCD} query argument (already URL-decoded), {@link Cmcd#NONE} if it has none. */
    public Cmcd parse(String value) {
        if (value == null || value.isEmpty()) {
            return Cmcd.NONE;
        }
        if (value.length() > MAX_LENGTH) {
            oversized.increment();
            return Cmcd.NONE;
        }
        parsed.increment();
        Fields fields = new Fields();
        int keys = 0;
        int start = 0;
        while (start < value.length()) {
            int end = endOfMember(value, start);
            if (++keys > MAX_KEYS) {
                tooManyKeys.increment();
            } else {
                member(new Slice(value, start, end).strip(), fields);
            }
            start = end + 1;
        }
        return fields.toCmcd();
    }

    /** The index of the comma that ends the member starting at {@code start} (commas inside strings do not count). */
    private static int endOfMember(String text, int start) {
        boolean quoted = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return text.length();
    }

    private void member(Slice member, Fields fields) {
        if (member.isEmpty()) {
            return;
        }
        int equals = member.indexOf('=');
        long key = keyCode(equals < 0 ? member : member.slice(0, equals));
        if (key < 0 || Arrays.binarySearch(KNOWN_KEYS, key) < 0) { // every known key is a well-formed one
            unknownKeys.increment();
            return;
        }
        Slice raw = equals < 0 ? TRUE : firstItem(member.slice(equals + 1, member.length()));
        boolean ok;
        if (key == SID) {
            ok = (fields.sessionId = sessionId(raw)) != null;
        } else if (key == BL) {
            ok = (fields.bufferMillis = nonNegative(raw)) != null;
        } else if (key == MTP) {
            ok = (fields.measuredThroughputKbps = nonNegative(raw)) != null;
        } else if (key == BR) {
            ok = (fields.bitrateKbps = nonNegative(raw)) != null;
        } else if (key == OT) {
            ok = (fields.objectType = objectType(raw)) != null;
        } else if (key == SU) {
            ok = (fields.startup = bool(raw)) != null;
        } else {
            ok = true; // a CMCD key Reel does not keep
        }
        if (!ok) {
            malformedValues.increment();
        }
    }

    /**
     * A key of 1-{@value #MAX_KEY_LENGTH} lowercase letters as a number (5 bits a letter, so distinct keys have distinct
     * codes), or -1 for anything else, which is no CMCD key.
     */
    private static long keyCode(CharSequence key) {
        int length = key.length();
        if (length == 0 || length > MAX_KEY_LENGTH) {
            return -1;
        }
        long code = 0;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c < 'a' || c > 'z') {
                return -1;
            }
            code = code << 5 | (c - 'a' + 1);
        }
        return code;
    }

    private static long[] codes(String... keys) {
        long[] codes = Arrays.stream(keys).mapToLong(CmcdParser::keyCode).sorted().toArray();
        if (Arrays.stream(codes).distinct().count() != keys.length) {
            throw new IllegalStateException("CMCD keys listed twice");
        }
        return codes;
    }

    /** CMCD v2 sends some numbers as an inner list, {@code (3200 1200)}: the first item is the object's own. */
    private static Slice firstItem(Slice raw) {
        if (raw.length() >= 2 && raw.charAt(0) == '(' && raw.charAt(raw.length() - 1) == ')') {
            Slice inner = raw.slice(1, raw.length() - 1).strip();
            int space = inner.indexOf(' ');
            return space < 0 ? inner : inner.slice(0, space);
        }
        int parameters = raw.indexOf(';'); // item parameters (v2) say nothing Reel keeps
        return parameters < 0 || raw.startsWith('"') ? raw : raw.slice(0, parameters);
    }

    /**
     * An integer of at most {@value #MAX_INTEGER_DIGITS} digits, or a decimal of at most {@value #MAX_DECIMAL_DIGITS}
     * digits before the point and 1-3 after (rounded), not negative; otherwise {@code null}.
     */
    private static Long nonNegative(Slice raw) {
        int i = raw.startsWith('-') ? 1 : 0;
        int digitsStart = i;
        long whole = 0;
        while (i < raw.length() && isDigit(raw.charAt(i)) && i - digitsStart < MAX_INTEGER_DIGITS) {
            whole = whole * 10 + raw.charAt(i++) - '0';
        }
        int wholeDigits = i - digitsStart;
        double sign = digitsStart == 1 ? -1 : 1;
        if (wholeDigits == 0) {
            return null;
        }
        if (i == raw.length()) {
            return sign * whole >= 0 ? whole : null;
        }
        if (raw.charAt(i) != '.' || wholeDigits > MAX_DECIMAL_DIGITS) {
            return null;
        }
        int fractionStart = ++i;
        long fraction = 0;
        long scale = 1;
        while (i < raw.length() && isDigit(raw.charAt(i)) && i - fractionStart < MAX_FRACTION_DIGITS) {
            fraction = fraction * 10 + raw.charAt(i++) - '0';
            scale *= 10;
        }
        if (i == fractionStart || i != raw.length()) {
            return null;
        }
        double number = sign * (whole + (double) fraction / scale);
        return number >= 0 ? Math.round(number) : null;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String sessionId(Slice raw) {
        int length = raw.length() - 2;
        if (length < 1 || length > MAX_SESSION_ID || !raw.startsWith('"') || raw.charAt(raw.length() - 1) != '"') {
            return null;
        }
        for (int i = 1; i <= length; i++) {
            char c = raw.charAt(i);
            if (c < '!' || c > '~' || c == '\\' || c == '"') {
                return null; // printable ASCII without spaces; escapes never occur in the ids players generate
            }
        }
        return raw.slice(1, length + 1).toString();
    }

    private static String objectType(Slice raw) {
        String text = raw.toString();
        return SegmentServed.OBJECT_TYPES.contains(text) ? text : null;
    }

    private static Boolean bool(Slice raw) {
        if (raw.length() != 2 || raw.charAt(0) != '?') {
            return null;
        }
        return switch (raw.charAt(1)) {
            case '1' -> Boolean.TRUE;
            case '0' -> Boolean.FALSE;
            default -> null;
        };
    }

    /** A part of the CMCD text, read in place (parsing runs on every request: no copies, no regular expressions). */
    private record Slice(String text, int from, int to) implements CharSequence {
        @Override
        public int length() {
            return to - from;
        }

        @Override
        public boolean isEmpty() {
            return from == to;
        }

        @Override
        public char charAt(int i) {
            return text.charAt(from + i);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return slice(start, end);
        }

        boolean startsWith(char c) {
            return from < to && text.charAt(from) == c;
        }

        int indexOf(char c) {
            int i = text.indexOf(c, from, to);
            return i < 0 ? -1 : i - from;
        }

        Slice slice(int start, int end) {
            return new Slice(text, from + start, from + end);
        }

        Slice strip() {
            int start = from;
            int end = to;
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            return new Slice(text, start, end);
        }

        @Override
        public String toString() {
            return text.substring(from, to);
        }
    }

    /** What was read so far. */
    private static final class Fields {
        String sessionId;
        Long bufferMillis;
        Long measuredThroughputKbps;
        Long bitrateKbps;
        String objectType;
        Boolean startup;

        Cmcd toCmcd() {
            return new Cmcd(sessionId, bufferMillis, measuredThroughputKbps, bitrateKbps, objectType, startup);
        }
    }
}
