package dev.reel.service.config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed reads of environment variables with documented defaults (12-factor). Every problem is collected,
 * so a service that starts with three bad settings says all three at once: read everything, then call
 * {@link #validate()}.
 *
 * <pre>{@code
 * Env env = Env.system();
 * int port = env.integer("REEL_INGEST_PORT", 8080, 1, 65535);
 * String bootstrap = env.required("REEL_KAFKA_BOOTSTRAP_SERVERS");
 * env.validate(); // throws InvalidConfigException listing every problem
 * }</pre>
 */
public final class Env {

    private final Map<String, String> variables;
    private final List<String> problems = new ArrayList<>();

    public Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** The value, or the default when the variable is unset or blank. */
    public String string(String name, String defaultValue) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /** A variable without a default; a missing one is recorded as a problem and {@code ""} returned. */
    public String required(String name) {
        String value = string(name, null);
        if (value == null) {
            problems.add(name + " is required but not set");
            return "";
        }
        return value;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return parse(name, defaultValue, Integer::parseInt, "an integer", value -> value >= min && value <= max,
                "between " + min + " and " + max);
    }

    public long longValue(String name, long defaultValue, long min, long max) {
        return parse(name, defaultValue, Long::parseLong, "an integer", value -> value >= min && value <= max,
                "between " + min + " and " + max);
    }

    public double decimal(String name, double defaultValue, double min, double max) {
        return parse(name, defaultValue, Double::parseDouble, "a number", value -> value >= min && value <= max,
                "between " + min + " and " + max);
    }

    public boolean bool(String name, boolean defaultValue) {
        return parse(name, defaultValue, value -> switch (value.toLowerCase()) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(value);
        }, "true or false", value -> true, "");
    }

    /** An ISO-8601 duration ({@code PT30S}) or a number with a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}. */
    public Duration duration(String name, Duration defaultValue) {
        return parse(name, defaultValue, Env::parseDuration, "a duration such as 30s, 5m or PT30S",
                value -> !value.isNegative(), "not negative");
    }

    /** A comma-separated list; blank entries are dropped. */
    public List<String> list(String name, List<String> defaultValue) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** One of a fixed set of words, case-insensitive, returned in lower case. */
    public String oneOf(String name, String defaultValue, Set<String> allowed) {
        String value = string(name, defaultValue).toLowerCase();
        if (!allowed.contains(value)) {
            problems.add(name + " must be one of " + allowed.stream().sorted().toList() + ", was '" + value + "'");
        }
        return value;
    }

    /** An absolute http(s) URL. */
    public URI url(String name, String defaultValue) {
        String value = defaultValue == null ? required(name) : string(name, defaultValue);
        if (value.isEmpty()) {
            return null;
        }
        try {
            URI uri = URI.create(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            problems.add(name + " must be an http(s) URL, was '" + value + "'");
            return null;
        }
    }

    /**
     * {@code REEL_INSTANCE_ID}, the name of this process in client ids, event sources and metric tags;
     * by default {@code <service>-<host>-<pid>}, unique on a machine and readable in logs.
     */
    public String instanceId(String service) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return string("REEL_INSTANCE_ID", service + "-" + host + "-" + ProcessHandle.current().pid());
    }

    /** Records a problem found by the caller, e.g. two settings that contradict each other. */
    public void problem(String message) {
        problems.add(message);
    }

    /** Throws when anything read so far was missing or invalid, naming every problem. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(List.copyOf(problems));
        }
    }

    private <T> T parse(String name, T defaultValue, Function<String, T> parser, String kind,
            java.util.function.Predicate<T> valid, String range) {
        String raw = string(name, null);
        if (raw == null) {
            return defaultValue;
        }
        T value;
        try {
            value = parser.apply(raw);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            problems.add(name + " must be " + kind + ", was '" + raw + "'");
            return defaultValue;
        }
        if (!valid.test(value)) {
            problems.add(name + " must be " + range + ", was " + raw);
            return defaultValue;
        }
        return value;
    }

    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase();
        if (v.startsWith("p")) {
            return Duration.parse(v.toUpperCase());
        }
        var matcher = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(v);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(value);
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
