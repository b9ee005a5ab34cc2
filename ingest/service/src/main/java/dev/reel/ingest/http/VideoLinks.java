package dev.reel.ingest.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The links a client gets for a video, absolute under the front door's public URL ({@code REEL_PUBLIC_URL}). */
public record VideoLinks(URI publicUrl) {

    public String status(String videoId) {
        return base() + "/api/catalog/videos/" + videoId;
    }

    public String watch(String videoId) {
        return base() + "/watch/" + videoId;
    }

    /** {@code {"videoId": ..., "status": ..., "watch": ...}}, the start of every answer about one video. */
    public Map<String, Object> describe(String videoId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("videoId", videoId);
        body.put("status", status(videoId));
        body.put("watch", watch(videoId));
        return body;
    }

    private String base() {
        String url = publicUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
