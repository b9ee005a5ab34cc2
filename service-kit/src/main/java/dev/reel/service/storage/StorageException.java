package dev.reel.service.storage;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.errors.XmlParserException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * An object storage call failed, and {@link #kind()} says how, so every service tells "not there" from "not now" from
 * "never" the same way. Reads that may find nothing answer with an empty {@link java.util.Optional} instead of
 * {@link Kind#NOT_FOUND}; it is thrown only where a missing object or upload is a failure (completing an aborted
 * multipart upload, say).
 */
public final class StorageException extends IOException {

    private static final long serialVersionUID = 1L;

    /** S3 error codes that mean "not now" rather than "no". */
    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "RequestTimeout");
    private static final Set<String> NOT_FOUND_CODES = Set.of("NoSuchKey", "NoSuchUpload", "NoSuchObject");

    /** How a call failed. */
    public enum Kind {
        /** No such object or multipart upload. */
        NOT_FOUND,
        /** Storage is unreachable, slow, answering 5xx or asking to slow down, or the caller was interrupted: try later. */
        UNAVAILABLE,
        /** Storage said no in a way retrying cannot fix: no such bucket, access denied, a bad request. */
        REFUSED
    }

    private final Kind kind;

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** Classifies what minio-java (or its HTTP client) threw, looking through the wrappers of its futures. */
    static StorageException of(String what, Throwable failure) {
        if (failure instanceof StorageException already) {
            return already;
        }
        return new StorageException(classify(failure), "cannot " + what + ": " + describe(failure), failure);
    }

    public Kind kind() {
        return kind;
    }

    public boolean isNotFound() {
        return kind == Kind.NOT_FOUND;
    }

    /** Whether trying again later may succeed. */
    public boolean isTransient() {
        return kind == Kind.UNAVAILABLE;
    }

    private static Kind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException refused && refused.errorResponse() != null) {
                String code = refused.errorResponse().code();
                if (NOT_FOUND_CODES.contains(code)) {
                    return Kind.NOT_FOUND;
                }
                return TRANSIENT_CODES.contains(code) ? Kind.UNAVAILABLE : Kind.REFUSED;
            }
            if (t instanceof IOException || t instanceof ServerException || t instanceof InsufficientDataException
                    || t instanceof InvalidResponseException || t instanceof XmlParserException
                    || t instanceof InterruptedException) {
                return Kind.UNAVAILABLE; // unreachable, timed out, cut off, 5xx, or a garbled answer from a proxy
            }
        }
        return Kind.REFUSED;
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while ((root instanceof CompletionException || root instanceof ExecutionException) && root.getCause() != null) {
            root = root.getCause();
        }
        return root instanceof ErrorResponseException refused && refused.errorResponse() != null
                ? refused.errorResponse().code() + " (" + refused.errorResponse().message() + ")"
                : root.toString();
    }
}
