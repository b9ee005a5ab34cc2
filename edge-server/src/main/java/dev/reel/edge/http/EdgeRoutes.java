package dev.reel.edge.http;

import dev.reel.edge.download.DownloadFile;
import dev.reel.service.http.Responses;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The edge's URL space: {@code /v/<id>/download/} downloads, the rest of {@code /v/} media, {@code /api/beacon}, and the
 * pages (library, player, DASH player, upload page, analytics dashboard) and their assets; 404 for the rest.
 */
public final class EdgeRoutes extends Handler.AbstractContainer {

    private record Route(Predicate<String> path, Handler handler) {
    }

    private final List<Route> routes;

    public EdgeRoutes(Handler media, Handler downloads, Handler beacon, Handler player) {
        routes = List.of(
                new Route(DownloadFile::isDownloadPath, downloads),
                new Route(path -> path.startsWith("/v/"), media),
                new Route("/api/beacon"::equals, beacon),
                new Route(path -> path.equals("/") || path.equals("/analytics") || path.equals("/upload")
                        || path.startsWith("/watch/") || path.startsWith("/dash/")
                        || path.startsWith("/assets/"), player));
        routes.forEach(route -> installBean(route.handler()));
    }

    /** The routed handlers, so Jetty gives them the server and its lifecycle. */
    @Override
    public List<Handler> getHandlers() {
        return routes.stream().map(Route::handler).toList();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        for (Route route : routes) {
            if (route.path().test(path)) {
                return route.handler().handle(request, response, callback);
            }
        }
        return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "not found");
    }
}
