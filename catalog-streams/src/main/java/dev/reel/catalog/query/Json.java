package dev.reel.catalog.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.events.VideoRecord;
import dev.reel.events.json.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's JSON, written with the events' mapper so a {@link VideoRecord} reads exactly as
 * {@link dev.reel.events.serde.VideoRecordSerializer} writes it on {@code reel.catalog}.
 */
public final class Json {

    private static final ObjectMapper MAPPER = EventJson.mapper();

    private Json() {
    }

    /** {@code GET /api/catalog/videos}: a page; {@code nextCursor} is always present, null on the last page. */
    public record VideoPage(List<VideoRecord> videos,
            @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    /** {@code GET /api/catalog/videos/{id}/views} and an entry of trending. */
    public record VideoViews(String videoId, long views) {
    }

    /** {@code GET /api/catalog/trending}. */
    public record Trending(String window, List<VideoViews> videos) {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + type.getSimpleName() + " from a peer", e);
        }
    }

    public static byte[] error(String reason) {
        return write(Map.of("error", reason));
    }

    public static byte[] error(String reason, String videoId) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", reason);
        body.put("videoId", videoId);
        return write(body);
    }
}
