package dev.reel.ingest.http;

/**
 * A request that cannot be served, with the HTTP status and the reason the client is told (as JSON
 * {@code {"error": reason}}). Thrown anywhere below a handler; the handler turns it into the response.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return getMessage();
    }
}
