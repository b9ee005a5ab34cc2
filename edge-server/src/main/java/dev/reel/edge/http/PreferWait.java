package dev.reel.edge.http;

import java.time.Duration;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;

/**
 * RFC 7240's {@code Prefer: wait=N}: how many seconds a client is willing to wait for its answer. A master playlist
 * asked for this way before the video has a rendition is answered when one is announced, within that time.
 */
final class PreferWait {

    private static final Pattern SECONDS = Pattern.compile("\"?([0-9]{1,9})\"?");

    private PreferWait() {
    }

    /** The wait the request prefers, at most {@code max}; zero when it states none (or none that reads). */
    static Duration of(HttpFields headers, Duration max) {
        Duration wait = Duration.ZERO;
        for (String header : headers.getValuesList("Prefer")) {
            for (String preference : header.split(",")) {
                String token = preference.split(";", 2)[0];
                int equals = token.indexOf('=');
                if (equals > 0 && token.substring(0, equals).strip().equalsIgnoreCase("wait")) {
                    var seconds = SECONDS.matcher(token.substring(equals + 1).strip());
                    if (seconds.matches()) {
                        wait = Duration.ofSeconds(Long.parseLong(seconds.group(1)));
                    }
                }
            }
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
