package dev.reel.ingest.tus;

import dev.reel.events.VideoUploaded;
import dev.reel.ingest.http.ApiException;
import dev.reel.ingest.ops.IngestMetrics;
import dev.reel.ingest.publish.EventPublisher.PublishException;
import dev.reel.ingest.storage.CompletedPart;
import dev.reel.ingest.storage.ObjectKeys;
import dev.reel.ingest.storage.ObjectStore;
import dev.reel.ingest.storage.ObjectStore.StorageException;
import dev.reel.ingest.upload.PartWriter;
import dev.reel.ingest.upload.RunningSha256;
import dev.reel.ingest.upload.UploadOutcomes;
import dev.reel.ingest.upload.VideoAcceptance;
import dev.reel.ingest.upload.VideoDetails;
import dev.reel.ingest.upload.VideoIds;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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

    private final ObjectStore store;
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

    /** What a request did to an upload: its session afterwards and, once the upload is accepted, its event. */
    public record Progress(UploadSession session, VideoUploaded accepted) {
    }

    public ResumableUploads(ObjectStore store, SessionStore sessions, VideoAcceptance acceptance, VideoIds ids,
            IngestMetrics metrics,
            int partSize, long maxBytes, Duration expiry, Duration strandedAfter, Clock clock) {
        this.store = store;
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

    /** Creation: checks the declared length, starts the multipart upload and saves the session. */
    public UploadSession create(String owner, VideoDetails details, long length) {
        requireAcceptableLength(length);
        String id = ids.next();
        String multipart = store.createMultipartUpload(ObjectKeys.original(id), Map.of("owner", owner));
        Instant now = clock.instant();
        UploadSession session = new UploadSession(id, owner, details.title(), details.description(), details.visibility(),
                details.filename(), length, 0, multipart, List.of(), 0, RunningSha256.resumable().savedState(), now, now,
                now.plus(expiry), false);
        sessions.save(session);
        log.info("upload {} created by {}: {} bytes expected", id, owner, length);
        return session;
    }

    /** A declared length the service takes: 413 over the limit, 422 for an empty file. */
    public void requireAcceptableLength(long length) {
        if (length > maxBytes) {
            metrics.upload("too_large");
            throw new ApiException(413, "Upload-Length " + length + " is over the limit of " + maxBytes + " bytes");
        }
        if (length == 0) {
            metrics.upload("not_a_video");
            throw new ApiException(422, "the file is empty");
        }
    }

    /** The session as a client may see it (HEAD). */
    public UploadSession get(String id, String owner) {
        return owned(id, owner);
    }

    /**
     * Appends a request body at {@code clientOffset}. Bytes read before the client went away are kept and count.
     * With a checksum, the body is all or nothing: a mismatch (460) or a cut body discards it.
     */
    public Progress append(String id, String owner, long clientOffset, TusHeaders.Checksum checksum, long contentLength,
            InputStream body)
            throws IOException {
        return locked(id, () -> {
            UploadSession session = owned(id, owner);
            if (session.complete() || clientOffset != session.offset()) {
                throw new ApiException(409,
                        "Upload-Offset " + clientOffset + " does not match the upload's offset " + session.offset()
                                + (session.complete() ? " (the upload is complete)" : ""));
            }
            long remaining = session.length() - session.offset();
            if (contentLength > remaining) {
                throw new ApiException(413,
                        "the body has " + contentLength + " bytes but only " + remaining + " remain of Upload-Length");
            }
            UploadSession received = remaining == 0 ? session : receive(session, checksum, body);
            return received.fullyReceived() ? finish(received) : new Progress(received, null);
        });
    }

    /** Termination: aborts the multipart upload and deletes everything staged. An accepted video is not touched. */
    public void terminate(String id, String owner) throws IOException {
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
        for (String id : sessions.ids()) {
            if (!busy.add(id)) {
                continue;
            }
            try {
                sessions.load(id).ifPresent(session -> {
                    if (session.expired(now)) {
                        discard(session);
                        if (!session.complete()) {
                            metrics.upload("expired");
                            log.info("upload {} expired at {} with {} of {} bytes: aborted and deleted", id, session.expiresAt(),
                                    session.offset(), session.length());
                        }
                    } else if (session.fullyReceived() && !session.complete()
                            && session.updatedAt().plus(strandedAfter).isBefore(now)) {
                        finish(session);
                    }
                });
            } catch (RuntimeException e) {
                log.warn("sweep of upload {} failed: {}", id, e.getMessage());
            } finally {
                busy.remove(id);
            }
        }
    }

    private UploadSession receive(UploadSession session, TusHeaders.Checksum checksum, InputStream body) throws IOException {
        String key = ObjectKeys.original(session.id());
        UploadSession[] committed = {session};
        PartWriter writer = new PartWriter(PartWriter.PartSink.multipart(store, key, session::multipartUploadId), partSize,
                session.parts(),
                RunningSha256.resume(session.hashState()), (parts, bytesInParts, hashAtPartEnd) -> {
                    if (checksum == null) { // with a checksum nothing counts before the whole body is verified
                        committed[0] = commit(committed[0], parts, bytesInParts, 0, hashAtPartEnd);
                    }
                }, metrics::bytesReceived);
        if (session.tailLength() > 0) {
            writer.preload(store.get(session.tailKey())
                    .orElseThrow(() -> new IllegalStateException(
                            "upload " + session.id() + " lost its staged tail " + session.tailKey())));
        }
        MessageDigest bodyDigest = sha256();
        InputStream in = checksum == null ? body : new DigestInputStream(body, bodyDigest);
        boolean cut = false;
        try {
            writer.transferFrom(in, session.length() - session.offset());
        } catch (IOException e) {
            cut = true; // the client went away: keep what arrived, it resumes from the offset HEAD reports
            log.info("upload {}: request cut after {} bytes ({})", session.id(), writer.received() - session.offset(),
                    e.toString());
        }
        writer.drain();
        if (checksum != null) {
            if (cut) {
                throw new ApiException(400, "the body ended early; a checksummed chunk is kept only whole");
            }
            if (!MessageDigest.isEqual(bodyDigest.digest(), checksum.digest())) {
                throw new ApiException(460,
                        "Checksum Mismatch: the chunk's sha256 differs from Upload-Checksum; it was discarded");
            }
        }
        byte[] tail = writer.buffered();
        long offset = writer.bytesInParts() + tail.length;
        if (tail.length > 0) {
            store.put(ObjectKeys.tail(session.id(), offset), tail, tail.length, "application/octet-stream");
        }
        return commit(committed[0], writer.parts(), offset, tail.length, writer.hash().savedState());
    }

    /** Saves the new state, then deletes the tail it replaced: a crash in between leaves an unreferenced object, never a lost byte. */
    private UploadSession commit(UploadSession before, List<CompletedPart> parts, long offset, long tailLength,
            byte[] hashState) {
        Instant now = clock.instant();
        UploadSession after = before.received(parts, offset, tailLength, hashState, now, now.plus(expiry));
        sessions.save(after);
        String oldTail = before.tailKey();
        if (oldTail != null && !oldTail.equals(after.tailKey())) {
            store.delete(oldTail);
        }
        return after;
    }

    /** Assembles the original, probes it and publishes its event; idempotent, so a sweep can redo it after a failure. */
    private Progress finish(UploadSession session) {
        long lastByte = System.nanoTime();
        String key = ObjectKeys.original(session.id());
        boolean assembled = store.stat(key).map(stat -> stat.size() == session.length()).orElse(false);
        if (!assembled) {
            List<CompletedPart> parts = new ArrayList<>(session.parts());
            if (session.tailLength() > 0) {
                byte[] tail = store.get(session.tailKey())
                        .orElseThrow(() -> new IllegalStateException("upload " + session.id() + " lost its staged tail"));
                parts.add(store.uploadPart(key, session.multipartUploadId(), parts.size() + 1, tail, tail.length).join());
            }
            store.completeMultipartUpload(key, session.multipartUploadId(), parts);
        }
        String sha256 = RunningSha256.resume(session.hashState()).hex();
        VideoAcceptance.Candidate candidate = new VideoAcceptance.Candidate(session.id(), session.owner(), session.details(),
                session.length(), sha256, lastByte);
        VideoUploaded event;
        try {
            event = acceptance.probe(candidate);
        } catch (ApiException rejected) {
            sessions.delete(session.id());
            metrics.upload(UploadOutcomes.of(rejected));
            throw rejected;
        }
        try {
            // The event id is derived from the upload, so a retry after a failure or a crash is the same event.
            acceptance.publish(candidate, eventId(session.id()), event);
        } catch (PublishException e) {
            log.warn("upload {} is stored and probed but its event is not published yet: {}", session.id(), e.getMessage());
            throw new ApiException(503,
                    "the event log is unavailable; the upload is stored and will be published, retry to check");
        }
        UploadSession done = session.completed();
        sessions.save(done);
        if (session.tailKey() != null) {
            store.delete(session.tailKey());
        }
        return new Progress(done, event);
    }

    private void discard(UploadSession session) {
        if (!session.complete()) {
            store.abortMultipartUpload(ObjectKeys.original(session.id()), session.multipartUploadId());
            store.delete(ObjectKeys.original(session.id()));
        }
        sessions.delete(session.id());
    }

    private UploadSession owned(String id, String owner) {
        if (!VideoIds.isWellFormed(id)) {
            throw new ApiException(404, "no such upload");
        }
        UploadSession session = sessions.load(id).orElseThrow(() -> new ApiException(404, "no such upload"));
        if (!session.owner().equals(owner)) {
            throw new ApiException(403, "this upload belongs to another user");
        }
        if (session.expired(clock.instant())) {
            throw new ApiException(410, "the upload expired at " + session.expiresAt());
        }
        return session;
    }

    private interface Step<T> {
        T run() throws IOException;
    }

    private <T> T locked(String id, Step<T> step) throws IOException {
        if (!busy.add(id)) {
            throw new ApiException(423, "another request is writing to this upload");
        }
        try {
            return step.run();
        } catch (StorageException e) {
            throw new ApiException(503, "object storage is unavailable; the upload keeps its last offset, retry");
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
