package dev.reel.events;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Argument checks shared by the compact constructors; every failure is an {@link IllegalArgumentException}. */
final class Checks {

    /** Video ids and rendition names end up in object keys and URLs, so they are restricted to URL-safe characters. */
    private static final Pattern URL_SAFE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private Checks() {
    }

    static String validVideoId(String value) {
        return urlSafeName(value, "videoId");
    }

    static String urlSafeName(String value, String name) {
        nonBlank(value, name);
        if (!URL_SAFE_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be 1 to 128 characters of [A-Za-z0-9_-], was '" + value + "'");
        }
        return value;
    }

    static String sha256Hex(String value, String name) {
        nonBlank(value, name);
        if (!SHA256_HEX.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be 64 lower-case hex digits");
        }
        return value;
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
