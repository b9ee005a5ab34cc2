package dev.reel.edge.http;

import dev.reel.service.http.Responses;
import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.server.Handler;

/**
 * gzip for playlists and the player's text (HTML, scripts, JSON); never for media segments, which are compressed
 * video already and would only cost CPU and break byte ranges. Jetty's {@link CompressionHandler} also keeps
 * {@code ETag}s distinct per encoding and strips the suffix on conditional requests.
 */
public final class TextCompression {

    private TextCompression() {
    }

    public static Handler around(Handler next) {
        CompressionHandler compression = new CompressionHandler(next);
        compression.putCompression(new GzipCompression());
        CompressionConfig.Builder config = CompressionConfig.builder().compressIncludeMethod("GET");
        for (String type : new String[]{MediaTypes.PLAYLIST, MediaTypes.DASH_MANIFEST, "text/html", "text/javascript", "text/css",
                Responses.JSON_TYPE}) {
            config.compressIncludeMimeType(type);
        }
        compression.putConfiguration("/*", config.build());
        return compression;
    }
}
