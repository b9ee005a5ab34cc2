package dev.reel.ingest.client;

import java.net.URI;

/** Hears how an upload goes; every method has a default, so a caller implements only what it shows. */
public interface UploadListener {

    /** The upload exists on the server (created now, or found again to resume). Save {@code uploadUrl} to resume later. */
    default void started(URI uploadUrl, String videoId, long resumedFrom, long total) {
    }

    /** {@code sent} of {@code total} bytes are acknowledged by the server. */
    default void progress(long sent, long total) {
    }

    /**
     * {@code sent} of {@code total} bytes are handed to the network, before the server acknowledges them (called as a
     * request's body goes out, from the HTTP client's thread; {@code sent == total}: the upload's last byte is out).
     */
    default void sending(long sent, long total) {
    }

    /** A request failed for a transient reason and will be retried after {@code pauseMillis}. */
    default void retrying(int attempt, long pauseMillis, String reason) {
    }

    UploadListener NONE = new UploadListener() {
    };
}
