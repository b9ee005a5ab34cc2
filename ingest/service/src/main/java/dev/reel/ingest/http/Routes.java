package dev.reel.ingest.http;

import dev.reel.service.http.Responses;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Ingest's API: each {@link ApiHandler} takes the paths under its prefix ({@code /api/uploads}, {@code /api/videos}),
 * anything else is a JSON 404.
 */
public final class Routes {

    private Routes() {
    }

    public static Handler of(ApiHandler... handlers) {
        Handler.Sequence routes = new Handler.Sequence(handlers);
        routes.addHandler(new NotFound());
        return routes;
    }

    private static final class NotFound extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "no such resource");
        }
    }
}
