package dev.reel.catalog.query;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;

/**
 * The instance-to-instance API under {@code /internal/}, on its own port ({@code REEL_CATALOG_INTERNAL_PORT}, Kafka
 * Streams' {@code application.server}), which the front door never routes: one key read from the stores here (never
 * forwarded again), and this instance's part of a page or of trending. It answers raw records, without any visibility
 * rule: the instance that took the public request applies them.
 */
public final class InternalApiHandler extends QueryHandler {

    public static final String PREFIX = "/internal/";
    public static final String VIDEOS_PATH = "/internal/videos";
    public static final String TRENDING_PATH = "/internal/trending";
    private static final Pattern VIDEO = Pattern.compile("/internal/videos/([A-Za-z0-9_-]{1,128})");
    private static final Pattern VIEWS = Pattern.compile("/internal/videos/([A-Za-z0-9_-]{1,128})/views");
    /** Trending asks each instance for more than it shows, as it drops what is not public. */
    static final int MAX_LOCAL = 1000;

    private final CatalogQueries queries;

    public InternalApiHandler(CatalogQueries queries, MeterRegistry registry) {
        super(PREFIX, registry);
        this.queries = queries;
    }

    /** The internal path of one video's record. */
    public static String video(String videoId) {
        return VIDEOS_PATH + "/" + videoId;
    }

    /** The internal path of one video's view count. */
    public static String views(String videoId) {
        return VIDEOS_PATH + "/" + videoId + "/views";
    }

    @Override
    String endpointOf(String path) {
        if (path.equals(VIDEOS_PATH)) {
            return "local-videos";
        }
        if (path.equals(TRENDING_PATH)) {
            return "local-trending";
        }
        if (VIEWS.matcher(path).matches()) {
            return "internal-views";
        }
        if (VIDEO.matcher(path).matches()) {
            return "internal-video";
        }
        return "unknown";
    }

    @Override
    ApiResponse answer(Request request, String path, String endpoint, QueryParameters params) {
        return switch (endpoint) {
            case "internal-video" -> queries.storedVideo(id(VIDEO.matcher(path)), true);
            case "internal-views" -> queries.storedViews(id(VIEWS.matcher(path)), true);
            case "local-videos" -> queries.localPage(new VideoFilter(params.state(), params.visibility().orElse(null),
                    params.owner()), params.limit(50, MAX_LOCAL), params.after());
            case "local-trending" -> queries.localTrending(params.window(), params.limit(10, MAX_LOCAL));
            default -> throw new IllegalStateException("no answer for " + endpoint);
        };
    }

    private static String id(Matcher matcher) {
        if (!matcher.matches()) {
            throw new IllegalStateException("endpointOf matched this path");
        }
        return matcher.group(1);
    }
}
