package dev.reel.edge.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The edge's URL space: {@code /v/} media, {@code /api/beacon}, and the player pages and assets; 404 for the rest. */
public final class EdgeRoutes extends Handler.Abstract.NonBlocking {

    private final Handler media;
    private final Handler beacon;
    private final Handler player;

    public EdgeRoutes(Handler media, Handler beacon, Handler player) {
        this.media = media;
        this.beacon = beacon;
        this.player = player;
        installBean(media);
        installBean(beacon);
        installBean(player);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (path.startsWith("/v/")) {
            return media.handle(request, response, callback);
        }
        if (path.equals("/api/beacon")) {
            return beacon.handle(request, response, callback);
        }
        if (path.equals("/") || path.startsWith("/watch/") || path.startsWith("/assets/")) {
            return player.handle(request, response, callback);
        }
        return Responses.error(request, response, callback, 404, "not found");
    }
}
