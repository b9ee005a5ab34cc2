package dev.reel.edge.cmcd;

import dev.reel.events.SegmentServed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;

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

    /** Every key of CMCD v1 and v2 (CTA-5004, CTA-5004-B); the ones Reel does not keep are skipped without counting. */
    private static final Set<String> KNOWN_KEYS = Set.of("br", "bl", "bs", "cid", "d", "dl", "mtp", "nor", "nrr", "ot",
            "pr", "rtp", "sf", "sid", "st", "su", "tb", "v", "ab", "lab", "lb", "tab", "tbl", "tpb", "cs", "dfa", "ltc", "pb",
            "sn", "sta", "bg", "bsa", "bsd", "bsda", "cdn", "ec", "nr", "pt", "msd", "e", "ts", "cen", "rc", "ttfb", "ttfbb",
            "ttlb", "url", "cmsdd", "cmsds", "smrt", "df", "h");
    private static final int MAX_INTEGER_DIGITS = 15;
    private static final int MAX_DECIMAL_DIGITS = 12;
    private static final int MAX_FRACTION_DIGITS = 3;
    private static final int MAX_SESSION_ID = 64;
    /** A key without a value is a true boolean. */
    private static final Slice TRUE = new Slice("?1", 0, 2);

    private final Counter parsed;
    private final Counter oversized;
    private final Counter unknownKeys;
    private final Counter malformedValues;
    private final Counter tooManyKeys;

    public CmcdParser(MeterRegistry registry) {
        this.parsed = Counter.builder("reel.edge.cmcd.requests").tag("result", "parsed")
                .description("requests that carried CMCD").register(registry);
        this.oversized = Counter.builder("reel.edge.cmcd.requests").tag("result", "oversized")
                .description("requests whose CMCD was longer than " + MAX_LENGTH + " characters and ignored").register(registry);
        this.unknownKeys = Counter.builder("reel.edge.cmcd.ignored.keys").tag("reason", "unknown")
                .description("CMCD keys that are not CMCD's, skipped").register(registry);
        this.malformedValues = Counter.builder("reel.edge.cmcd.ignored.keys").tag("reason", "malformed")
                .description("CMCD keys whose value could not be read, skipped").register(registry);
        this.tooManyKeys = Counter.builder("reel.edge.cmcd.ignored.keys").tag("reason", "too-many")
                .description("CMCD keys beyond the first " + MAX_KEYS + ", skipped").register(registry);
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
        String key = equals < 0 ? member.toString() : member.slice(0, equals).toString();
        if (!KNOWN_KEYS.contains(key)) { // every known key is a well-formed one
            unknownKeys.increment();
            return;
        }
        Slice raw = equals < 0 ? TRUE : firstItem(member.slice(equals + 1, member.length()));
        boolean ok = switch (key) {
            case "sid" -> (fields.sessionId = sessionId(raw)) != null;
            case "bl" -> (fields.bufferMillis = nonNegative(raw)) != null;
            case "mtp" -> (fields.measuredThroughputKbps = nonNegative(raw)) != null;
            case "br" -> (fields.bitrateKbps = nonNegative(raw)) != null;
            case "ot" -> (fields.objectType = objectType(raw)) != null;
            case "su" -> (fields.startup = bool(raw)) != null;
            default -> true; // a CMCD key Reel does not keep
        };
        if (!ok) {
            malformedValues.increment();
        }
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
    private record Slice(String text, int from, int to) {
        int length() {
            return to - from;
        }

        boolean isEmpty() {
            return from == to;
        }

        char charAt(int i) {
            return text.charAt(from + i);
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
