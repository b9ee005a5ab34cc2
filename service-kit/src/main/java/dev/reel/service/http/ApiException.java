package dev.reel.service.http;

/**
 * A request that cannot be served: the HTTP status and the reason the client reads ({@code {"error": reason}}), and,
 * for a 5xx, the failure behind it, which {@link Responses#failure} logs once. Thrown anywhere below a handler.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String reason) {
        this(status, reason, null);
    }

    /** @param cause what went wrong underneath (storage, Kafka), kept for the log; never shown to the client */
    public ApiException(int status, String reason, Throwable cause) {
        super(reason, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return getMessage();
    }
}
