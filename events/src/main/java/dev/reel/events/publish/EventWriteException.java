package dev.reel.events.publish;

import java.io.IOException;

/**
 * Kafka did not take an event in time. An {@link IOException}, like a storage failure: the outside world failed, and
 * the caller answers 503 (an API) or retries the job (a worker), keeping what it needs to write the event again.
 */
public final class EventWriteException extends IOException {

    private static final long serialVersionUID = 1L;

    public EventWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
