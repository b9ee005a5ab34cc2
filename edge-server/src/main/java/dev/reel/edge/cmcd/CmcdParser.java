package dev.reel.edge.cmcd;

import dev.reel.events.SegmentServed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.regex.Pattern;

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
    private static final Pattern KEY = Pattern.compile("[a-z*][a-z0-9_.*-]{0,63}");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,15}");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,12}\\.[0-9]{1,3}");
    private static final Pattern SESSION_ID = Pattern.compile("[\\x21-\\x7e]{1,64}");

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
                member(value.substring(start, end).strip(), fields);
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

    private void member(String member, Fields fields) {
        if (member.isEmpty()) {
            return;
        }
        int equals = member.indexOf('=');
        String key = equals < 0 ? member : member.substring(0, equals);
        String raw = equals < 0 ? "?1" : firstItem(member.substring(equals + 1));
        if (!KEY.matcher(key).matches() || !KNOWN_KEYS.contains(key)) {
            unknownKeys.increment();
            return;
        }
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
    private static String firstItem(String raw) {
        if (raw.length() >= 2 && raw.charAt(0) == '(' && raw.charAt(raw.length() - 1) == ')') {
            String inner = raw.substring(1, raw.length() - 1).strip();
            int space = inner.indexOf(' ');
            return space < 0 ? inner : inner.substring(0, space);
        }
        int parameters = raw.indexOf(';'); // item parameters (v2) say nothing Reel keeps
        return parameters < 0 || raw.startsWith("\"") ? raw : raw.substring(0, parameters);
    }

    private static Long nonNegative(String raw) {
        if (INTEGER.matcher(raw).matches()) {
            long number = Long.parseLong(raw);
            return number >= 0 ? number : null;
        }
        if (DECIMAL.matcher(raw).matches()) {
            double number = Double.parseDouble(raw);
            return number >= 0 ? Math.round(number) : null;
        }
        return null;
    }

    private static String sessionId(String raw) {
        if (raw.length() < 2 || raw.charAt(0) != '"' || raw.charAt(raw.length() - 1) != '"') {
            return null;
        }
        String text = raw.substring(1, raw.length() - 1);
        if (text.indexOf('\\') >= 0 || !SESSION_ID.matcher(text).matches()) {
            return null; // escapes never occur in the ids players generate
        }
        return text;
    }

    private static String objectType(String raw) {
        return SegmentServed.OBJECT_TYPES.contains(raw) ? raw : null;
    }

    private static Boolean bool(String raw) {
        return switch (raw) {
            case "?1" -> Boolean.TRUE;
            case "?0" -> Boolean.FALSE;
            default -> null;
        };
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
