package dev.reel.catalog.query;

import dev.reel.catalog.query.QueryParameters.BadParameterException;
import dev.reel.events.Visibility;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.auth.Viewer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;

/**
 * The public catalog API under {@code /api/catalog/}, what the front door routes: each request's {@link Viewer} (its API
 * key's owner, its playback token) decides what it may see. A private video is, for anyone but its owner or a holder of
 * a valid token, exactly an unknown id (404, same body); lists show public videos, and unlisted or private ones only to
 * their owner; trending never shows either.
 */
public final class CatalogApiHandler extends QueryHandler {

    public static final String PREFIX = "/api/catalog/";
    private static final Pattern VIDEO = Pattern.compile("/api/catalog/videos/([^/]+)");
    private static final Pattern VIEWS = Pattern.compile("/api/catalog/videos/([^/]+)/views");
    private static final int MAX_PAGE = 200;
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_TRENDING = 100;
    private static final int DEFAULT_TRENDING = 10;

    private final CatalogQueries queries;
    private final ApiKeys keys;

    public CatalogApiHandler(CatalogQueries queries, ApiKeys keys, MeterRegistry registry) {
        super(PREFIX, registry);
        this.queries = queries;
        this.keys = keys;
    }

    @Override
    String endpointOf(String path) {
        if (path.equals("/api/catalog/videos")) {
            return "list";
        }
        if (path.equals("/api/catalog/trending")) {
            return "trending";
        }
        if (VIEWS.matcher(path).matches()) {
            return "views";
        }
        if (VIDEO.matcher(path).matches()) {
            return "video";
        }
        return "unknown";
    }

    @Override
    ApiResponse answer(Request request, String path, String endpoint, QueryParameters params) {
        Viewer viewer = Viewer.of(request, keys);
        return switch (endpoint) {
            case "video" -> queries.video(videoId(VIDEO.matcher(path)), viewer);
            case "views" -> queries.views(videoId(VIEWS.matcher(path)), viewer);
            case "list" -> {
                Optional<Visibility> visibility = params.visibility();
                // Anything but public videos is listed only to its owner, and then only their own.
                boolean ownOnly = visibility.isEmpty() || visibility.get() != Visibility.PUBLIC;
                if (ownOnly && viewer.owner() == null) {
                    yield ApiResponse.json(HttpStatus.UNAUTHORIZED_401,
                            Json.error("only public videos are listed without an API key; send Authorization: Bearer <key>"),
                            "local").withHeader("WWW-Authenticate", "Bearer realm=\"reel\"");
                }
                VideoFilter filter = new VideoFilter(params.state(), visibility.orElse(null), ownOnly ? viewer.owner() : null);
                yield queries.list(filter, params.limit(DEFAULT_PAGE, MAX_PAGE), params.cursor());
            }
            case "trending" -> queries.trending(params.window(), params.limit(DEFAULT_TRENDING, MAX_TRENDING));
            default -> throw new IllegalStateException("no answer for " + endpoint);
        };
    }

    private static String videoId(Matcher matcher) {
        if (!matcher.matches() || !Cursors.isVideoId(matcher.group(1))) {
            throw new BadParameterException("a video id is 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return matcher.group(1);
    }
}
