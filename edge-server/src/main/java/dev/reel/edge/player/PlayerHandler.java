package dev.reel.edge.player;

import dev.reel.edge.http.ContentSender;
import dev.reel.edge.http.MediaTypes;
import dev.reel.edge.http.SecurityHeaders;
import dev.reel.edge.replica.CatalogReplica;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.auth.Viewer;
import dev.reel.service.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The viewer's pages, served by the edge from its catalog replica: the library ({@code /}, public videos that are
 * ready, with posters), the watch page ({@code /watch/<videoId>}, hls.js with a quality menu, title, description
 * and the view count, which the page fetches from the catalog API through the front door), the DASH page
 * ({@code /dash/<videoId>}, dash.js on the MPEG-DASH manifest of the same segments), the upload page ({@code /upload},
 * tus-js-client) and the viewer-experience dashboard ({@code /analytics}, charts of the analytics API through the front
 * door; {@code ?video=<id>} for one video). The pages' scripts ({@code /assets/...}, hls.js, dash.js, tus-js-client
 * and uPlot included) come from this jar: no CDN.
 */
public final class PlayerHandler extends Handler.Abstract.NonBlocking {

    private static final Pattern WATCH = Pattern.compile("/(watch|dash)/([A-Za-z0-9_-]{1,128})");
    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,12}\\.[A-Za-z0-9_-]{1,64}");
    private static final Map<String, String> ASSET_TYPES = Map.of(
            "hls.min.js", "text/javascript;charset=utf-8",
            "dash.mediaplayer.min.js", "text/javascript;charset=utf-8",
            "dash-player.js", "text/javascript;charset=utf-8",
            "tus.min.js", "text/javascript;charset=utf-8",
            "upload.js", "text/javascript;charset=utf-8",
            "player.js", "text/javascript;charset=utf-8",
            "player.css", "text/css;charset=utf-8",
            "uPlot.iife.min.js", "text/javascript;charset=utf-8",
            "uPlot.min.css", "text/css;charset=utf-8",
            "analytics.js", "text/javascript;charset=utf-8");

    private final CatalogReplica catalog;
    private final PlaybackTokens tokens;
    private final ApiKeys keys;
    private final Map<String, Asset> assets;
    private final String watchTemplate;
    private final byte[] dashboard;
    private final String dashTemplate;
    private final byte[] uploadPage;
    private final ContentSender sender = new ContentSender();
    private final Instant started = Instant.now();

    private record Asset(byte[] bytes, String etag) {
    }

    public PlayerHandler(CatalogReplica catalog, PlaybackTokens tokens, ApiKeys keys) {
        this.catalog = catalog;
        this.tokens = tokens;
        this.keys = keys;
        this.assets = ASSET_TYPES.keySet().stream().collect(Collectors.toUnmodifiableMap(name -> name, name -> {
            byte[] bytes = resource("assets/" + name);
            return new Asset(bytes, "\"" + sha256(bytes).substring(0, 16) + "\"");
        }));
        this.watchTemplate = new String(resource("watch.html"), java.nio.charset.StandardCharsets.UTF_8);
        this.dashboard = resource("analytics.html");
        this.dashTemplate = new String(resource("dash.html"), java.nio.charset.StandardCharsets.UTF_8);
        this.uploadPage = resource("upload.html");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        response.getHeaders().put(SecurityHeaders.CONTENT_SECURITY_POLICY, SecurityHeaders.PAGE_POLICY);
        if (!Responses.isGetOrHead(request)) {
            return Responses.methodNotAllowed(request, response, callback, "GET, HEAD");
        }
        if (path.equals("/")) {
            return Responses.send(request, response, callback, HttpStatus.OK_200, MediaTypes.HTML, library(), "no-cache");
        }
        if (path.equals("/analytics")) {
            return Responses.send(request, response, callback, HttpStatus.OK_200, MediaTypes.HTML, dashboard, "no-cache");
        }
        if (path.equals("/upload")) {
            // the form talks to ingest (tus, through the front door) with the creator's API key; nothing here is secret
            return Responses.send(request, response, callback, HttpStatus.OK_200, MediaTypes.HTML, uploadPage, "no-cache");
        }
        if (path.startsWith("/assets/")) {
            String name = path.substring("/assets/".length());
            Asset asset = assets.get(name);
            if (asset == null) {
                return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "no such asset");
            }
            sender.send(request, response, callback, path, asset.bytes(), ASSET_TYPES.get(name), asset.etag(), started,
                    "public, max-age=3600");
            return true;
        }
        Matcher watch = WATCH.matcher(path);
        if (watch.matches()) {
            return watchPage(request, response, callback, watch.group(2),
                    watch.group(1).equals("dash") ? dashTemplate : watchTemplate);
        }
        return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "not found");
    }

    /** The watch page (hls.js), or the DASH page (dash.js on {@code manifest.mpd}): the same checks, another template. */
    private boolean watchPage(Request request, Response response, Callback callback, String videoId, String template) {
        if (catalog.isDeleted(videoId)) {
            return page(request, response, callback, HttpStatus.GONE_410, "This video was deleted.");
        }
        VideoRecord video = catalog.video(videoId).orElse(null);
        Viewer viewer = Viewer.of(request, keys);
        String token = viewer.token();
        boolean restricted = video != null && video.visibility() == Visibility.PRIVATE;
        // A private video without its token (or owner) gets the very page an unknown id gets.
        if (video == null || restricted && token != null && !TOKEN.matcher(token).matches()
                || !viewer.maySee(videoId, video.owner(), restricted, tokens, Instant.now())) {
            return page(request, response, callback, HttpStatus.NOT_FOUND_404, "No such video.");
        }
        String html = template
                .replace("{{title}}", Html.escape(video.title()))
                .replace("{{description}}", Html.escape(video.description()))
                .replace("{{videoId}}", Html.escape(videoId))
                .replace("{{token}}", restricted && token != null ? Html.escape(token) : "")
                .replace("{{state}}", video.state().name());
        return Responses.send(request, response, callback, HttpStatus.OK_200, MediaTypes.HTML, html,
                video.visibility() == Visibility.PRIVATE ? "private, no-store" : "no-cache");
    }

    private String library() {
        StringBuilder cards = new StringBuilder();
        for (VideoRecord video : catalog.videosIn(VideoState.READY)) {
            if (video.visibility() != Visibility.PUBLIC) {
                continue;
            }
            String id = Html.escape(video.videoId());
            cards.append("<a class=\"card\" href=\"/watch/").append(id).append("\">");
            if (video.posterKey() != null) {
                cards.append("<img loading=\"lazy\" alt=\"\" src=\"/v/").append(id).append("/poster.jpg\">");
            }
            long seconds = Math.round(video.source().durationSeconds());
            cards.append("<span class=\"title\">").append(Html.escape(video.title())).append("</span>")
                    .append("<span class=\"duration\">").append(seconds / 60).append(':')
                    .append(String.format("%02d", seconds % 60)).append("</span></a>\n");
        }
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reel</title>"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<link rel=\"stylesheet\" href=\"/assets/player.css\"></head><body><header><a href=\"/\">Reel</a>"
                + "<a class=\"nav\" href=\"/upload\">Upload</a></header>"
                + "<main class=\"library\">" + (cards.isEmpty() ? "<p>No videos yet.</p>" : cards) + "</main></body></html>\n";
    }

    private static boolean page(Request request, Response response, Callback callback, int status, String message) {
        return Responses.send(request, response, callback, status, MediaTypes.HTML,
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reel</title>"
                        + "<link rel=\"stylesheet\" href=\"/assets/player.css\"></head><body><header><a href=\"/\">Reel</a></header>"
                        + "<main><p class=\"message\">" + Html.escape(message) + "</p></main></body></html>\n",
                Responses.NO_STORE);
    }

    private static byte[] resource(String name) {
        try (InputStream in = PlayerHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing player resource " + name
                        + " (hls.min.js is copied from npm by the Maven build: run ./mvnw -pl edge-server package)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
