package dev.reel.edge.cmcd;

import dev.reel.events.SegmentServed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * Reads a request's CMCD (CTA-5004: a structured-field dictionary of {@code key=value} pairs separated by commas), sent
 * as the {@code CMCD} query argument (hls.js's default) or as the four {@code CMCD-*} request headers (hls.js with
 * {@code useHeaders}, dash.js's header mode), into {@link Cmcd}. It never fails a request: a value that is too long is
 * ignored whole, an unknown key or a malformed value is skipped, and each is counted ({@code reel_edge_cmcd_*} metrics).
 * Bounded: at most {@value #MAX_LENGTH} characters and {@value #MAX_KEYS} keys are looked at.
 *
 * <p>Written by hand because no Java library for CMCD or structured fields is a dependency here; it reads only the
 * value forms CTA-5004 uses: integers, decimals, quoted strings, tokens, booleans ({@code key} alone, {@code ?1},
 * {@code ?0}) and, from CMCD v2, inner lists, of which the first item is kept. It runs on every request, so it reads
 * the argument once, character by character where it stands in the raw query ({@link CmcdText}), and copies only the
 * session id.
 */
public final class CmcdParser {

    /** The query argument hls.js (and dash.js) put CMCD in. */
    public static final String QUERY_ARGUMENT = "CMCD";
    /** The request headers CTA-5004 shards CMCD into, by how often a key changes: every one carries its own keys. */
    public static final List<String> HEADERS = List.of("CMCD-Object", "CMCD-Request", "CMCD-Session", "CMCD-Status");
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
    /** Not kept, but sent on every request (hls.js's {@code contentId}): known without a search. */
    private static final long CID = keyCode("cid");
    /** Longest key a code holds: 12 letters of 5 bits each fit a long (CMCD keys have at most 5). */
    private static final int MAX_KEY_LENGTH = 12;
    private static final int MAX_INTEGER_DIGITS = 15;
    private static final int MAX_DECIMAL_DIGITS = 12;
    /** Three digits after the point at most. */
    private static final int MAX_FRACTION_SCALE = 1_000;
    private static final int MAX_SESSION_ID = 64;

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
     * has no {@code CMCD} argument. Only that argument is read: decoding every argument into a map (Jetty's
     * {@code Request.extractQueryParameters}) cost as much as the parsing, on every segment request. The first
     * {@code CMCD} argument counts, as with Jetty's {@code Fields.getValue}. An argument with escapes that are not ASCII
     * is decoded by Jetty's decoder (which checks UTF-8, and refuses what is not), then read.
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
        if (from == to) {
            return Cmcd.NONE;
        }
        CmcdText text = new CmcdText(rawQuery, from, to, true, MAX_LENGTH);
        Cmcd cmcd = read(text);
        if (!text.notAscii()) {
            return cmcd;
        }
        String value;
        try {
            value = UrlEncoded.decodeString(rawQuery, from, to - from, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // a broken %-escape or UTF-8 sequence
            undecodable.increment();
            return Cmcd.NONE;
        }
        return parse(value);
    }

    /**
     * The CMCD of a request: its {@code CMCD} query argument if it has one ({@link #parseQuery}), else its
     * {@code CMCD-*} headers ({@link #parseHeaders}).
     */
    public Cmcd parseRequest(String rawQuery, HttpFields headers) {
        Cmcd fromQuery = parseQuery(rawQuery);
        return fromQuery != Cmcd.NONE ? fromQuery : parseHeaders(headers);
    }

    /**
     * The CMCD of a request's {@link #HEADERS} (names in any case; others are not read), read as one dictionary, at most
     * {@value #MAX_LENGTH} characters in all; {@link Cmcd#NONE} without any. Header values are not URL-encoded.
     */
    public Cmcd parseHeaders(HttpFields headers) {
        Fields fields = null;
        Tally tally = null;
        int length = 0;
        for (HttpField header : headers) {
            String value = header.getValue();
            if (!isCmcdHeader(header.getName()) || value == null || value.isEmpty()) {
                continue;
            }
            length += value.length();
            if (length > MAX_LENGTH) {
                oversized.increment();
                return Cmcd.NONE;
            }
            if (fields == null) {
                fields = new Fields();
                tally = new Tally();
            }
            readMembers(new CmcdText(value, 0, value.length(), false, MAX_LENGTH), fields, tally);
        }
        return fields == null ? Cmcd.NONE : counted(fields, tally);
    }

    private static boolean isCmcdHeader(String name) {
        for (String known : HEADERS) { // equalsIgnoreCase compares the lengths first: other headers cost little
            if (known.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
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
        return read(new CmcdText(value, 0, value.length(), false, MAX_LENGTH));
    }

    /**
     * Reads every member of the text, one character at a time; the meters count only text that was read to its end
     * ({@code null} if it stopped at an escape that is not ASCII: the caller decodes it another way).
     */
    private Cmcd read(CmcdText text) {
        Fields fields = new Fields();
        Tally tally = new Tally();
        readMembers(text, fields, tally);
        if (text.notAscii()) {
            return null;
        }
        if (text.tooLong()) {
            oversized.increment();
            return Cmcd.NONE;
        }
        return counted(fields, tally);
    }

    /** Reads every member of the text into {@code fields}, counting what was skipped. */
    private static void readMembers(CmcdText text, Fields fields, Tally tally) {
        while (text.ch != CmcdText.END) {
            if (++tally.keys <= MAX_KEYS) {
                switch (member(text, fields)) {
                    case UNKNOWN -> tally.unknown++;
                    case MALFORMED -> tally.malformed++;
                    case READ -> {
                    }
                }
            }
            text.nextMember();
        }
    }

    /** A request's CMCD read to its end: the meters count it (once, however many headers it came in). */
    private Cmcd counted(Fields fields, Tally tally) {
        parsed.increment();
        count(unknownKeys, tally.unknown);
        count(malformedValues, tally.malformed);
        count(tooManyKeys, tally.keys - MAX_KEYS);
        return fields.toCmcd();
    }

    private static void count(Counter counter, int times) {
        if (times > 0) {
            counter.increment(times);
        }
    }

    private enum Outcome {
        READ, UNKNOWN, MALFORMED
    }

    /**
     * Reads one member, {@code key}, {@code key=value} or nothing, up to where its value is known good or bad (the
     * caller moves on to the next member). A key alone is a true boolean; a value may be an inner list (CMCD v2),
     * {@code (3200 1200)}, whose first item is the object's own, and may carry parameters ({@code ;name}, v2), which
     * say nothing Reel keeps. Whitespace around a member does not count.
     */
    private static Outcome member(CmcdText text, Fields fields) {
        text.skipWhitespace();
        if (text.atMemberEnd()) {
            return Outcome.READ; // an empty member
        }
        long key = 0;
        int length = 0;
        while (text.ch >= 'a' && text.ch <= 'z') {
            if (++length > MAX_KEY_LENGTH) {
                return Outcome.UNKNOWN;
            }
            key = key << 5 | (text.ch - 'a' + 1);
            text.advance();
        }
        boolean alone = text.ch != '=';
        if (length == 0 || alone && !text.onlyWhitespaceLeft() || !isKnown(key)) {
            return Outcome.UNKNOWN;
        }
        if (!isKept(key)) {
            return Outcome.READ; // a CMCD key Reel does not keep
        }
        boolean list = false;
        if (!alone) {
            text.advance(); // the '='
            list = text.ch == '(';
            if (list) {
                text.advance();
                text.skipWhitespace();
            }
        }
        boolean ok; // only a boolean may stand alone
        if (key == SID) {
            ok = (fields.sessionId = alone ? null : whole(sessionId(text), text, list, true)) != null;
        } else if (key == OT) {
            ok = (fields.objectType = alone ? null : whole(objectType(text), text, list, false)) != null;
        } else if (key == SU) {
            ok = (fields.startup = alone ? Boolean.TRUE : whole(bool(text), text, list, false)) != null;
        } else {
            long number = alone ? -1 : nonNegative(text);
            Long value = number < 0 ? null : whole(number, text, list, false);
            if (key == BL) {
                fields.bufferMillis = value;
            } else if (key == MTP) {
                fields.measuredThroughputKbps = value;
            } else {
                fields.bitrateKbps = value;
            }
            ok = value != null;
        }
        return ok ? Outcome.READ : Outcome.MALFORMED;
    }

    /** The item read, if the value ends where it did ({@link #endsItem}); else {@code null}, a malformed value. */
    private static <T> T whole(T item, CmcdText text, boolean list, boolean string) {
        return item != null && endsItem(text, list, string) ? item : null;
    }

    /**
     * Whether the value ends where its first item did. In an inner list, a space follows the item and the member ends
     * with the list's {@code )}, or the {@code )} follows the item (after whitespace). A bare item may be followed by
     * parameters ({@code ;}), unless it is a string.
     */
    private static boolean endsItem(CmcdText text, boolean list, boolean string) {
        if (!list) {
            return text.ch == ';' && !string || text.onlyWhitespaceLeft();
        }
        if (text.ch == ' ') {
            return text.lastOfMember() == ')';
        }
        text.skipWhitespace();
        if (text.ch != ')') {
            return false;
        }
        text.advance();
        return text.onlyWhitespaceLeft();
    }

    private static boolean isKnown(long key) {
        return isKept(key) || key == CID || Arrays.binarySearch(KNOWN_KEYS, key) >= 0;
    }

    private static boolean isKept(long key) {
        return key == SID || key == BL || key == MTP || key == BR || key == OT || key == SU;
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

    /**
     * An integer of at most {@value #MAX_INTEGER_DIGITS} digits, or a decimal of at most {@value #MAX_DECIMAL_DIGITS}
     * digits before the point and 1-3 after (rounded), not negative; otherwise -1.
     */
    private static long nonNegative(CmcdText text) {
        boolean negative = text.ch == '-';
        if (negative) {
            text.advance();
        }
        long whole = 0;
        int wholeDigits = 0;
        while (isDigit(text.ch)) {
            if (++wholeDigits > MAX_INTEGER_DIGITS) {
                return -1;
            }
            whole = whole * 10 + text.ch - '0';
            text.advance();
        }
        if (wholeDigits == 0) {
            return -1;
        }
        if (text.ch != '.') {
            return negative && whole != 0 ? -1 : whole;
        }
        if (wholeDigits > MAX_DECIMAL_DIGITS) {
            return -1;
        }
        text.advance();
        long fraction = 0;
        long scale = 1;
        while (isDigit(text.ch)) {
            if (scale == MAX_FRACTION_SCALE) {
                return -1;
            }
            fraction = fraction * 10 + text.ch - '0';
            scale *= 10;
            text.advance();
        }
        if (scale == 1 || negative && (whole != 0 || fraction != 0)) {
            return -1;
        }
        return Math.round(whole + (double) fraction / scale);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** A quoted string of printable ASCII without spaces; escapes never occur in the ids players generate. */
    private static String sessionId(CmcdText text) {
        if (text.ch != '"') {
            return null;
        }
        text.advance();
        int from = text.position();
        int length = 0;
        while (text.ch != '"') {
            if (text.ch < '!' || text.ch > '~' || text.ch == '\\' || ++length > MAX_SESSION_ID) {
                return null; // END, too, is below '!'
            }
            text.advance();
        }
        if (length == 0) {
            return null;
        }
        String id = text.decoded(from, text.position());
        text.advance();
        return id;
    }

    /** One of {@link SegmentServed#OBJECT_TYPES}, as its constant (no copy of the text). */
    private static String objectType(CmcdText text) {
        int first = text.ch;
        if (first < 'a' || first > 'z') {
            return null;
        }
        text.advance();
        int second = text.ch >= 'a' && text.ch <= 'z' ? text.ch : 0;
        if (second != 0) {
            text.advance();
        }
        String type = switch (first << 8 | second) {
            case 'm' << 8 -> "m";
            case 'a' << 8 -> "a";
            case 'v' << 8 -> "v";
            case 'a' << 8 | 'v' -> "av";
            case 'i' << 8 -> "i";
            case 'c' << 8 -> "c";
            case 't' << 8 | 't' -> "tt";
            case 'k' << 8 -> "k";
            case 'o' << 8 -> "o";
            default -> null;
        };
        return type != null && (text.ch < 'a' || text.ch > 'z') ? type : null;
    }

    private static Boolean bool(CmcdText text) {
        if (text.ch != '?') {
            return null;
        }
        text.advance();
        Boolean value = switch (text.ch) {
            case '1' -> Boolean.TRUE;
            case '0' -> Boolean.FALSE;
            default -> null;
        };
        if (value != null) {
            text.advance();
        }
        return value;
    }

    /** How many members of a request's CMCD were seen and skipped: the meters get them once all of it was read. */
    private static final class Tally {
        int keys;
        int unknown;
        int malformed;
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
