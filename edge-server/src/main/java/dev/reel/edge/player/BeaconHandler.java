package dev.reel.edge.player;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.edge.playback.PlaybackEvents;
import dev.reel.events.PlaybackBeacon;
import dev.reel.events.json.EventJson;
import dev.reel.service.http.Responses;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * {@code POST /api/beacon}: the player's quality of experience as a {@code playback.beacon} event. The body is the
 * event's {@code data}, read with the events' own JSON rules (types checked, unknown fields ignored), so every field of
 * {@link PlaybackBeacon} is accepted. Small JSON bodies only; a bad one gets 400 with the reason.
 */
public final class BeaconHandler extends Handler.Abstract.NonBlocking {

    static final int MAX_BODY_BYTES = 4096;
    private static final ObjectMapper JSON = EventJson.mapper();

    private final PlaybackEvents events;

    public BeaconHandler(PlaybackEvents events) {
        this.events = events;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            return Responses.methodNotAllowed(request, response, callback, "POST");
        }
        long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length < 0) {
            return Responses.error(request, response, callback, HttpStatus.LENGTH_REQUIRED_411, "Content-Length required");
        }
        if (length > MAX_BODY_BYTES) {
            return Responses.error(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                    "beacon larger than " + MAX_BODY_BYTES + " bytes");
        }
        Content.Source.asString(request, StandardCharsets.UTF_8, new Promise<>() {
            @Override
            public void succeeded(String body) {
                PlaybackBeacon beacon;
                try {
                    beacon = parse(body);
                } catch (Exception e) {
                    Responses.error(request, response, callback, HttpStatus.BAD_REQUEST_400, "bad beacon: " + e.getMessage());
                    return;
                }
                events.publish(beacon);
                response.setStatus(HttpStatus.NO_CONTENT_204);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                Responses.error(request, response, callback, HttpStatus.BAD_REQUEST_400, "could not read the body");
            }
        });
        return true;
    }

    static PlaybackBeacon parse(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return JSON.treeToValue(json, PlaybackBeacon.class);
        } catch (JacksonException e) {
            // a check of the record itself (a negative count, a bad id) arrives wrapped: its message is the reason
            Throwable cause = e.getCause();
            throw new IllegalArgumentException(
                    cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage(), e);
        }
    }
}
