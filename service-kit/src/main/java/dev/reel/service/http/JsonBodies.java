package dev.reel.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** Request bodies that must be one JSON object: read whole up to a limit, refused with a reason otherwise. */
public final class JsonBodies {

    private JsonBodies() {
    }

    /**
     * @throws ApiException 413 past {@code maxBytes}, 400 when it is not JSON or not an object
     * @throws IOException  the body broke off
     */
    public static JsonNode readObject(Request request, int maxBytes) throws IOException {
        byte[] bytes = Content.Source.asInputStream(request).readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE_413, "the body is larger than " + maxBytes + " bytes");
        }
        try {
            JsonNode node = Responses.JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ApiException(HttpStatus.BAD_REQUEST_400, "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "the body is not valid JSON");
        }
    }

    /** A boolean field, or {@code null} when absent or null. @throws ApiException 400 when it is not true or false */
    public static Boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, field + " must be true or false");
        }
        return value.asBoolean();
    }

    /** A string field, or {@code null} when absent or null. @throws ApiException 400 when it is not a string */
    public static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, field + " must be a string");
        }
        return value.asText();
    }
}
