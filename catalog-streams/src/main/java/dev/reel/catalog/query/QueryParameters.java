package dev.reel.catalog.query;

import dev.reel.catalog.topology.TrendingWindow;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.service.auth.ApiKeyRecord;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.util.Fields;

/**
 * The query parameters of the catalog's APIs, read from outside text: each is optional with a default, and a value out
 * of its form is a {@link BadParameterException} (400 with the reason), never a 500.
 */
final class QueryParameters {

    private final Fields params;

    QueryParameters(Fields params) {
        this.params = params;
    }

    /** {@code visibility}: public when absent; empty for {@code any}. */
    Optional<Visibility> visibility() {
        String value = value("visibility");
        if (value == null) {
            return Optional.of(Visibility.PUBLIC);
        }
        String wanted = value.toLowerCase(Locale.ROOT);
        if (wanted.equals("any")) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(Visibility.values())
                .filter(v -> v.name().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst()
                .orElseThrow(() -> new BadParameterException(
                        "visibility must be public, unlisted, private or any, was '" + value + "'")));
    }

    /** {@code state}, or {@code null} for any. */
    VideoState state() {
        String value = value("state");
        if (value == null) {
            return null;
        }
        return Arrays.stream(VideoState.values()).filter(s -> s.name().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new BadParameterException(
                        "state must be one of " + Arrays.toString(VideoState.values()) + ", was '" + value + "'"));
    }

    /** {@code owner}, or {@code null} for anyone (internal page endpoint). */
    String owner() {
        String value = value("owner");
        if (value != null && !ApiKeyRecord.OWNER.matcher(value).matches()) {
            throw new BadParameterException("owner must be 1-64 characters of [A-Za-z0-9_.@-]");
        }
        return value;
    }

    int limit(int defaultValue, int max) {
        String value = value("limit");
        if (value == null) {
            return defaultValue;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameterException("limit must be an integer from 1 to " + max + ", was '" + value + "'");
    }

    /** {@code cursor}, decoded to the video id to continue after, or {@code null} from the start. */
    String cursor() {
        String value = value("cursor");
        if (value == null) {
            return null;
        }
        return Cursors.decode(value).orElseThrow(() -> new BadParameterException("cursor is not one this API gave out"));
    }

    /** {@code after} (internal page endpoint): a video id, or {@code null}. */
    String after() {
        String value = value("after");
        if (value != null && !Cursors.isVideoId(value)) {
            throw new BadParameterException("after must be a video id");
        }
        return value;
    }

    TrendingWindow window() {
        String value = value("window");
        if (value == null) {
            return TrendingWindow.ONE_HOUR;
        }
        return TrendingWindow.fromLabel(value)
                .orElseThrow(() -> new BadParameterException("window must be 1h or 24h, was '" + value + "'"));
    }

    private String value(String name) {
        String value = params.getValue(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A query parameter out of its form: answered 400 with the reason. */
    static final class BadParameterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadParameterException(String message) {
            super(message);
        }
    }
}
