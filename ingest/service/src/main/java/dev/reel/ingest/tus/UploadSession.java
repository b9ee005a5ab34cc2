package dev.reel.ingest.tus;

import dev.reel.events.Visibility;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.ingest.upload.RunningSha256;
import dev.reel.ingest.upload.VideoDetails;
import dev.reel.service.storage.CompletedPart;
import java.time.Instant;
import java.util.List;

/**
 * The durable state of one resumable upload, kept as JSON in object storage ({@code uploads/<id>/session.json}), so
 * any ingest process, including one started after a crash, resumes it.
 *
 * <p>Bytes {@code [0, offset)} are acknowledged: {@code parts} (stored S3 multipart parts) followed by a staged tail
 * of {@code tailLength} bytes at {@link ObjectKeys#tail(String, long) tail(id, offset)}, which holds what is too
 * small for a part yet (S3 parts are at least 5 MiB except the last). {@code hashState} is the SHA-256 state after
 * byte {@code offset}.
 *
 * @param id                the upload id, which is also the video id
 * @param multipartUploadId the S3 multipart upload of {@code originals/<id>/source}
 * @param updatedAt         when a request last changed it (an upload fully received but idle long after is stranded)
 * @param complete          the event was published; the session stays (read-only) until it expires so HEAD still answers
 */
public record UploadSession(
        String id,
        String owner,
        String title,
        String description,
        Visibility visibility,
        String filename,
        long length,
        long offset,
        String multipartUploadId,
        List<CompletedPart> parts,
        long tailLength,
        byte[] hashState,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        boolean complete) {

    public UploadSession {
        parts = List.copyOf(parts);
    }

    /** A new upload: its multipart upload started, nothing received yet, expiring at {@code expiresAt} unless a request comes. */
    public static UploadSession start(String id, String owner, VideoDetails details, long length, String multipartUploadId,
            Instant now, Instant expiresAt) {
        return new UploadSession(id, owner, details.title(), details.description(), details.visibility(), details.filename(),
                length, 0, multipartUploadId, List.of(), 0, RunningSha256.resumable().savedState(), now, now, expiresAt, false);
    }

    public VideoDetails details() {
        return new VideoDetails(title, description, visibility, filename);
    }

    public boolean fullyReceived() {
        return offset == length;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The key of the staged tail, or {@code null} when there is none. */
    public String tailKey() {
        return tailLength == 0 ? null : ObjectKeys.tail(id, offset);
    }

    public UploadSession received(List<CompletedPart> newParts, long newOffset, long newTailLength, byte[] newHashState,
            Instant now, Instant newExpiry) {
        return new UploadSession(id, owner, title, description, visibility, filename, length, newOffset, multipartUploadId,
                newParts, newTailLength, newHashState, createdAt, now, newExpiry, false);
    }

    public UploadSession completed() {
        return new UploadSession(id, owner, title, description, visibility, filename, length, offset, multipartUploadId, parts,
                0, hashState, createdAt, updatedAt, expiresAt, true);
    }
}
