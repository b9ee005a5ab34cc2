package dev.reel.edge.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Headers on every answer of the edge: {@code X-Content-Type-Options: nosniff} (a segment or a JSON error is never
 * sniffed into a script or a page) and {@code Referrer-Policy: no-referrer} (a private video's watch URL carries its
 * playback token, which must not leak to another site in a {@code Referer}). The pages add {@link #PAGE_POLICY}.
 */
public final class SecurityHeaders extends Handler.Wrapper {

    public static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";
    /**
     * The pages' Content Security Policy: scripts, styles and media only from this origin (the player's own scripts,
     * hls.js included, are served from the edge's jar), hls.js's worker and media source from {@code blob:}, no plugins,
     * no framing, no inline script or style.
     */
    public static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; worker-src 'self' blob:; style-src 'self'; "
            + "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private static final String NOSNIFF = "X-Content-Type-Options";
    private static final String REFERRER_POLICY = "Referrer-Policy";

    public SecurityHeaders(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(NOSNIFF, "nosniff");
        headers.put(REFERRER_POLICY, "no-referrer");
        return super.handle(request, response, callback);
    }
}
