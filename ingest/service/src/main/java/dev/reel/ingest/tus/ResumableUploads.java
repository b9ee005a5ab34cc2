package dev.reel.ingest.tus;

import dev.reel.events.VideoUploaded;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.publish.EventWriteException;
import dev.reel.ingest.ops.IngestMetrics;
import dev.reel.ingest.upload.PartWriter;
import dev.reel.ingest.upload.RunningSha256;
import dev.reel.ingest.upload.UploadOutcomes;
import dev.reel.ingest.upload.VideoAcceptance;
import dev.reel.ingest.upload.VideoDetails;
import dev.reel.ingest.upload.VideoIds;
import dev.reel.service.http.ApiException;
import dev.reel.service.storage.CompletedPart;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import dev.reel.service.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads (the tus 1.0 semantics, without HTTP): each one is an S3 multipart upload plus a session in
 * object storage. A session is committed after every stored part and at the end of every request, so the offset a
 * client reads back is always durable, in this process or the next one.
 *
 * <p>One request at a time per upload in this process: a second one gets 423 at once. Several ingest instances
 * should route one upload to one instance (the front door hashes the URI).
 */
public final class ResumableUploads {

    private static final Logger log = LoggerFactory.getLogger(ResumableUploads.class);

    private final ObjectStorage storage;
    private final SessionStore sessions;
    private final VideoAcceptance acceptance;
    private final VideoIds ids;
    private final IngestMetrics metrics;
    private final int partSize;
    private final long maxBytes;
    private final Duration expiry;
    private final Duration strandedAfter;
    private final Clock clock;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final int maxOpen;

    /** What a request did to an upload: its session afterwards and, once the upload is accepted, its event. */
    public record Progress(UploadSession session, VideoUploaded accepted) {
    }

    public ResumableUploads(ObjectStorage storage, SessionStore sessions, VideoAcceptance acceptance, VideoIds ids,
            IngestMetrics metrics, int partSize, long maxBytes, int maxOpen, Duration expiry, Duration strandedAfter,
            Clock clock) {
        this.maxOpen = maxOpen;
        this.storage = storage;
        this.sessions = sessions;
        this.acceptance = acceptance;
        this.ids = ids;
        this.metrics = metrics;
        this.partSize = partSize;
        this.maxBytes = maxBytes;
        this.expiry = expiry;
        this.strandedAfter = strandedAfter;
        this.clock = clock;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Creation: checks the declared length and the owner's open uploads (429 at {@code maxOpen}), starts the multipart
     * upload and saves the session.
     */
    public UploadSession create(String owner, VideoDetails details, long length) throws StorageException {
        requireAcceptableLength(length);
        int open = sessions.openUploads(owner);
        if (open >= maxOpen) {
            metrics.upload("too_many_open");
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS_429,
                    "this key has " + open + " uploads open, the most allowed is "
                            + maxOpen + ": finish one or delete it (DELETE " + TusHandler.PATH + "/<id>)");
        }
        String id = ids.next();
        String multipart = storage.createMultipartUpload(ObjectKeys.original(id), Map.of(ObjectKeys.OWNER_METADATA, owner));
        Instant now = clock.instant();
        UploadSession session = UploadSession.start(id, owner, details, length, multipart, now, now.plus(expiry));
        sessions.create(session);
        log.info("upload {} created by {}: {} bytes expected", id, owner, length);
        return session;
    }

    /** A declared length the service takes: 413 over the limit, 422 for an empty file. */
    public void requireAcceptableLength(long length) {
        if (length > maxBytes) {
            metrics.upload("too_large");
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE_413,
                    "Upload-Length " + length + " is over the limit of " + maxBytes + " bytes");
        }
        if (length == 0) {
            metrics.upload("not_a_video");
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY_422, "the file is empty");
        }
    }

    /** The session as a client may see it (HEAD). */
    public UploadSession get(String id, String owner) throws StorageException {
        return owned(id, owner);
    }

    /**
     * Appends a request body at {@code clientOffset}. Bytes read before the client went away are kept and count.
     * With a checksum, the body is all or nothing: a mismatch (460) or a cut body discards it.
     */
    public Progress append(String id, String owner, long clientOffset, TusHeaders.Checksum checksum, long contentLength,
            InputStream body) throws IOException, InterruptedException {
        return locked(id, () -> {
            UploadSession session = owned(id, owner);
            if (session.complete() || clientOffset != session.offset()) {
                throw new ApiException(HttpStatus.CONFLICT_409,
                        "Upload-Offset " + clientOffset + " does not match the upload's offset " + session.offset()
                                + (session.complete() ? " (the upload is complete)" : ""));
            }
            long remaining = session.length() - session.offset();
            if (contentLength > remaining) {
                throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE_413,
                        "the body has " + contentLength + " bytes but only " + remaining + " remain of Upload-Length");
            }
            UploadSession received = remaining == 0 ? session : receive(session, checksum, body);
            return received.fullyReceived() ? finish(received) : new Progress(received, null);
        });
    }

    /** Termination: aborts the multipart upload and deletes everything staged. An accepted video is not touched. */
    public void terminate(String id, String owner) throws IOException, InterruptedException {
        locked(id, () -> {
            UploadSession session = owned(id, owner);
            discard(session);
            if (!session.complete()) {
                metrics.upload("terminated");
            }
            log.info("upload {} terminated by {}", id, owner);
            return null;
        });
    }

    /**
     * One sweep over every session in the bucket: expired ones are aborted and deleted; fully received ones whose
     * finishing failed (the event log was down) and that nobody touched for {@code strandedAfter} are finished now.
     * The wait matters with several instances: another one may be finishing that upload at this very moment.
     */
    public void sweep() {
        Instant now = clock.instant();
        List<String> ids;
        try {
            ids = sessions.ids();
        } catch (StorageException e) {
            log.warn("sweep skipped, the next one tries again: {}", e.getMessage());
            return;
        }
        for (String id : ids) {
            if (!busy.add(id)) {
                continue;
            }
            try {
                Optional<UploadSession> session = sessions.load(id);
                if (session.isPresent()) {
                    sweep(session.get(), now);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the sweeper is stopping
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("sweep of upload {} failed: {} ({})", id, e.getMessage(), Objects.toString(e.getCause(), "no cause"));
            } finally {
                busy.remove(id);
            }
        }
    }

    private void sweep(UploadSession session, Instant now) throws IOException, InterruptedException {
        if (session.expired(now)) {
            discard(session);
            if (!session.complete()) {
                metrics.upload("expired");
                log.info("upload {} expired at {} with {} of {} bytes: aborted and deleted", session.id(), session.expiresAt(),
                        session.offset(), session.length());
            }
        } else if (session.fullyReceived() && !session.complete() && session.updatedAt().plus(strandedAfter).isBefore(now)) {
            finish(session);
        }
    }

    private UploadSession receive(UploadSession session, TusHeaders.Checksum checksum, InputStream body) throws IOException {
        String key = ObjectKeys.original(session.id());
        UploadSession[] committed = {session};
        PartWriter writer = new PartWriter(PartWriter.PartSink.multipart(storage, key, session::multipartUploadId), partSize,
                session.parts(), RunningSha256.resume(session.hashState()), (parts, bytesInParts, hashAtPartEnd) -> {
                    if (checksum == null) { // with a checksum nothing counts before the whole body is verified
                        committed[0] = commit(committed[0], parts, bytesInParts, 0, hashAtPartEnd);
                    }
                }, metrics::bytesReceived);
        if (session.tailLength() > 0) {
            writer.preload(stagedTail(session));
        }
        MessageDigest bodyDigest = sha256();
        InputStream in = checksum == null ? body : new DigestInputStream(body, bodyDigest);
        boolean cut = false;
        try {
            writer.transferFrom(in, session.length() - session.offset());
        } catch (StorageException e) {
            throw e; // storage failed, not the client
        } catch (IOException e) {
            cut = true; // the client went away: keep what arrived, it resumes from the offset HEAD reports
            log.info("upload {}: request cut after {} bytes ({})", session.id(), writer.received() - session.offset(),
                    e.toString());
        }
        if (writer.received() == session.length()) {
            // the upload's last bytes go up as its last part now, not staged as a tail that finishing reads back
            writer.finish();
        } else {
            writer.drain();
        }
        if (checksum != null) {
            if (cut) {
                throw new ApiException(HttpStatus.BAD_REQUEST_400,
                        "the body ended early; a checksummed chunk is kept only whole");
            }
            if (!MessageDigest.isEqual(bodyDigest.digest(), checksum.digest())) {
                throw new ApiException(TusHeaders.CHECKSUM_MISMATCH_460,
                        "Checksum Mismatch: the chunk's sha256 differs from Upload-Checksum; it was discarded");
            }
        }
        byte[] tail = writer.buffered();
        long offset = writer.bytesInParts() + tail.length;
        if (tail.length > 0) {
            storage.put(ObjectKeys.tail(session.id(), offset), tail, "application/octet-stream");
        } else if (committed[0].offset() == offset) {
            return committed[0]; // the last part's own commit saved this very state
        }
        return commit(committed[0], writer.parts(), offset, tail.length, writer.hash().savedState());
    }

    /**
     * Saves the new state, then deletes the tail it replaced: a crash in between leaves an unreferenced object, never a
     * lost byte.
     */
    private UploadSession commit(UploadSession before, List<CompletedPart> parts, long offset, long tailLength,
            byte[] hashState) throws StorageException {
        Instant now = clock.instant();
        UploadSession after = before.received(parts, offset, tailLength, hashState, now, now.plus(expiry));
        sessions.save(after);
        String oldTail = before.tailKey();
        if (oldTail != null && !oldTail.equals(after.tailKey())) {
            storage.delete(oldTail);
        }
        return after;
    }

    /** Assembles the original, probes it and publishes its event; idempotent, so a sweep can redo it after a failure. */
    private Progress finish(UploadSession session) throws StorageException, InterruptedException {
        long lastByte = System.nanoTime();
        String key = ObjectKeys.original(session.id());
        boolean assembled = storage.stat(key).map(info -> info.size() == session.length()).orElse(false);
        if (!assembled) {
            List<CompletedPart> parts = new ArrayList<>(session.parts());
            if (session.tailLength() > 0) {
                byte[] tail = stagedTail(session);
                int number = parts.size() + 1;
                parts.add(PartWriter.stored(storage.uploadPart(key, session.multipartUploadId(), number, tail, tail.length),
                        number));
            }
            storage.completeMultipartUpload(key, session.multipartUploadId(), parts);
        }
        String sha256 = RunningSha256.resume(session.hashState()).hex();
        VideoAcceptance.Candidate candidate = new VideoAcceptance.Candidate(session.id(), session.owner(), session.details(),
                session.length(), sha256, lastByte);
        VideoUploaded event;
        try {
            event = acceptance.probe(candidate);
        } catch (ApiException rejected) {
            sessions.delete(session);
            metrics.upload(UploadOutcomes.of(rejected));
            throw rejected;
        }
        try {
            // The event id is derived from the upload, so a retry after a failure or a crash is the same event.
            acceptance.publish(candidate, eventId(session.id()), event);
        } catch (EventWriteException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503,
                    "the event log is unavailable; the upload is stored and will be published, retry to check", e);
        }
        UploadSession done = session.completed();
        sessions.save(done);
        sessions.closed(done); // accepted: no longer counts among its owner's open uploads
        if (session.tailKey() != null) {
            storage.delete(session.tailKey());
        }
        return new Progress(done, event);
    }

    private byte[] stagedTail(UploadSession session) throws StorageException {
        return storage.read(session.tailKey()).map(StoredObject::bytes).orElseThrow(() -> new IllegalStateException(
                "upload " + session.id() + " lost its staged tail " + session.tailKey()));
    }

    private void discard(UploadSession session) throws StorageException {
        if (!session.complete()) {
            storage.abortMultipartUpload(ObjectKeys.original(session.id()), session.multipartUploadId());
            storage.delete(ObjectKeys.original(session.id()));
        }
        sessions.delete(session);
    }

    private UploadSession owned(String id, String owner) throws StorageException {
        if (!VideoIds.isWellFormed(id)) {
            throw new ApiException(HttpStatus.NOT_FOUND_404, "no such upload");
        }
        UploadSession session = sessions.load(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND_404,
                "no such upload"));
        if (!session.owner().equals(owner)) {
            // Another owner's upload is answered as one that does not exist: its id says nothing about it.
            throw new ApiException(HttpStatus.NOT_FOUND_404, "no such upload");
        }
        if (session.expired(clock.instant())) {
            throw new ApiException(HttpStatus.GONE_410, "the upload expired at " + session.expiresAt());
        }
        return session;
    }

    private interface Step<T> {
        T run() throws IOException, InterruptedException;
    }

    /** Runs a step with the upload to itself; storage failing on the way is a 503 that keeps its cause. */
    private <T> T locked(String id, Step<T> step) throws IOException, InterruptedException {
        if (!busy.add(id)) {
            throw new ApiException(HttpStatus.LOCKED_423, "another request is writing to this upload");
        }
        try {
            return step.run();
        } catch (StorageException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503,
                    "object storage is unavailable; the upload keeps its last offset, retry", e);
        } finally {
            busy.remove(id);
        }
    }

    static String eventId(String uploadId) {
        return UUID.nameUUIDFromBytes(("reel.video.uploaded/" + uploadId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
