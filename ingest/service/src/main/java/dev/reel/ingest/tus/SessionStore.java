package dev.reel.ingest.tus;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.service.http.Responses;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import dev.reel.service.storage.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** Upload sessions as JSON objects next to their staged tails, under {@code uploads/<id>/}. */
public final class SessionStore {

    private static final ObjectMapper JSON = Responses.JSON;
    private static final String SESSION_FILE = "session.json";

    private final ObjectStorage storage;

    public SessionStore(ObjectStorage storage) {
        this.storage = storage;
    }

    public Optional<UploadSession> load(String id) throws StorageException {
        return storage.read(ObjectKeys.session(id)).map(StoredObject::bytes).map(bytes -> {
            try {
                return JSON.readValue(bytes, UploadSession.class);
            } catch (IOException e) {
                throw new UncheckedIOException("session " + id + " is unreadable", e);
            }
        });
    }

    public void save(UploadSession session) throws StorageException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(session);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        storage.put(ObjectKeys.session(session.id()), bytes, Responses.JSON_TYPE);
    }

    /** Saves a new session and marks it open for its owner. */
    public void create(UploadSession session) throws StorageException {
        save(session);
        storage.put(ObjectKeys.openUpload(session.owner(), session.id()), new byte[0], "application/octet-stream");
    }

    /** The upload ended (accepted): it no longer counts among its owner's open uploads; the session stays for HEAD. */
    public void closed(UploadSession session) throws StorageException {
        storage.delete(ObjectKeys.openUpload(session.owner(), session.id()));
    }

    /** Deletes the session, everything staged with it and its open marker. */
    public void delete(UploadSession session) throws StorageException {
        storage.deletePrefix(ObjectKeys.uploadPrefix(session.id()));
        closed(session);
    }

    /** How many uploads {@code owner} has open (created, not yet accepted, terminated or expired). */
    public int openUploads(String owner) throws StorageException {
        return storage.list(ObjectKeys.openUploadsOf(owner)).size();
    }

    /** The ids of every session in the bucket (for the expiry sweep). */
    public List<String> ids() throws StorageException {
        return storage.list(ObjectKeys.UPLOADS_PREFIX).stream()
                .filter(key -> key.endsWith("/" + SESSION_FILE))
                .map(key -> key.substring(ObjectKeys.UPLOADS_PREFIX.length(), key.length() - SESSION_FILE.length() - 1))
                .toList();
    }
}
