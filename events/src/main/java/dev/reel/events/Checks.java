package dev.reel.events;

import java.util.List;
import java.util.Objects;

/**
 * Argument checks shared by the compact constructors; every failure is an {@link IllegalArgumentException}.
 * The character checks are loops, not regular expressions: every event made or read runs them (an edge makes one
 * per request, the analytics service reads 100,000s a second), and a loop takes a third of a matcher's time.
 */
final class Checks {

    /** Video ids and rendition names end up in object keys and URLs, so they are restricted to URL-safe characters. */
    private static final int MAX_NAME_LENGTH = 128;

    private Checks() {
    }

    static String validVideoId(String value) {
        return urlSafeName(value, "videoId");
    }

    static String urlSafeName(String value, String name) {
        nonBlank(value, name);
        if (!isUrlSafeName(value)) {
            throw new IllegalArgumentException(name + " must be 1 to 128 characters of [A-Za-z0-9_-], was '" + value + "'");
        }
        return value;
    }

    static String sha256Hex(String value, String name) {
        nonBlank(value, name);
        if (value.length() != 64 || !isLowerHex(value, 0, 64)) {
            throw new IllegalArgumentException(name + " must be 64 lower-case hex digits");
        }
        return value;
    }

    /** {@code [A-Za-z0-9_-]{1,128}}. */
    static boolean isUrlSafeName(String value) {
        int length = value.length();
        if (length == 0 || length > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A UUID in its canonical lower-case text: {@code 8-4-4-4-12} digits of {@code [0-9a-f]}. */
    static boolean isLowerCaseUuid(String value) {
        return value.length() == 36 && isLowerHex(value, 0, 8) && value.charAt(8) == '-' && isLowerHex(value, 9, 13)
                && value.charAt(13) == '-' && isLowerHex(value, 14, 18) && value.charAt(18) == '-'
                && isLowerHex(value, 19, 23) && value.charAt(23) == '-' && isLowerHex(value, 24, 36);
    }

    private static boolean isLowerHex(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    static String nonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static String nullOrNonBlank(String value, String name) {
        return value == null ? null : nonBlank(value, name);
    }

    static <T> T nonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static long positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static double positive(double value, String name) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException(name + " must be a positive finite number, was " + value);
        }
        return value;
    }

    static double nonNegative(double value, String name) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative finite number, was " + value);
        }
        return value;
    }

    static double percentage(double value, String name) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(name + " must be between 0 and 100, was " + value);
        }
        return value;
    }

    /** Copies a list that must be present and hold no nulls ({@link List#copyOf} would throw a less helpful NPE). */
    static <T> List<T> listOf(List<T> values, String name) {
        nonNull(values, name);
        if (values.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(name + " must not contain null");
        }
        return List.copyOf(values);
    }

    static <T> List<T> nonEmptyListOf(List<T> values, String name) {
        List<T> copy = listOf(values, name);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return copy;
    }
}
