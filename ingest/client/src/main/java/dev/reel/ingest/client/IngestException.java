package dev.reel.ingest.client;

/** The ingest API refused a request for good: {@code status} and the server's {@code reason}. Retrying will not help. */
public final class IngestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public IngestException(int status, String reason) {
        super(status + ": " + reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
