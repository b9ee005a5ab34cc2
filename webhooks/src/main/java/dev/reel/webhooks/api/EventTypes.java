package dev.reel.webhooks.api;

import dev.reel.events.EventType;
import dev.reel.service.http.ApiException;
import dev.reel.webhooks.endpoints.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpStatus;

/**
 * The event types an endpoint may ask for: every event of the video topics the fan-out reads (uploads, transcoding,
 * metadata), or {@code *} for all of them. Playback events are not delivered: there is one per segment served.
 */
public final class EventTypes {

    public static final Set<String> DELIVERABLE = List.of(EventType.VIDEO_UPLOADED, EventType.VIDEO_METADATA_UPDATED,
            EventType.CAPTIONS_SET, EventType.CAPTIONS_REMOVED, EventType.VIDEO_DELETED, EventType.TRANSCODE_STARTED,
            EventType.TRANSCODE_PROGRESS, EventType.RENDITION_READY,
            EventType.TRANSCODE_COMPLETED, EventType.TRANSCODE_FAILED).stream().map(EventType::type)
            .collect(Collectors.toCollection(LinkedHashSet::new));

    private EventTypes() {
    }

    /** @throws ApiException 400 naming an unknown type, or for an empty list */
    public static List<String> check(List<String> types) {
        if (types.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "events must name at least one event type, or \"*\"");
        }
        List<String> checked = new ArrayList<>();
        for (String type : types) {
            if (!type.equals(Endpoint.ALL_TYPES) && !DELIVERABLE.contains(type)) {
                throw new ApiException(HttpStatus.BAD_REQUEST_400,
                        "events: '" + type + "' is not a deliverable event type; use \"*\" or any of " + DELIVERABLE);
            }
            if (!checked.contains(type)) {
                checked.add(type);
            }
        }
        return checked;
    }
}
