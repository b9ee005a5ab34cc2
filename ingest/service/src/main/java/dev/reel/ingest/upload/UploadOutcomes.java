package dev.reel.ingest.upload;

import dev.reel.service.http.ApiException;
import org.eclipse.jetty.http.HttpStatus;

/** The {@code outcome} tag of {@code reel_ingest_uploads_total} for an upload that ended with an error. */
public final class UploadOutcomes {

    private UploadOutcomes() {
    }

    public static String of(Throwable error) {
        if (!(error instanceof ApiException api)) {
            return "failed";
        }
        return switch (api.status()) {
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "too_large";
            case HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, HttpStatus.UNPROCESSABLE_ENTITY_422 -> "not_a_video";
            default -> HttpStatus.isClientError(api.status()) ? "bad_request" : "failed";
        };
    }
}
