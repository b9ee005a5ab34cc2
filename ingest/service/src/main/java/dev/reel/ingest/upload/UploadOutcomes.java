package dev.reel.ingest.upload;

import dev.reel.ingest.http.ApiException;

/** The {@code outcome} tag of {@code reel_ingest_uploads_total} for an upload that ended with an error. */
public final class UploadOutcomes {

    private UploadOutcomes() {
    }

    public static String of(Throwable error) {
        if (error instanceof ApiException api) {
            if (api.status() == 413) {
                return "too_large";
            }
            if (api.status() == 415 || api.status() == 422) {
                return "not_a_video";
            }
            if (api.status() < 500) {
                return "bad_request";
            }
        }
        return "failed";
    }
}
