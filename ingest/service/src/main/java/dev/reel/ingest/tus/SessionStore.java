package dev.reel.ingest.tus;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.ingest.http.JsonResponses;
import dev.reel.ingest.storage.ObjectKeys;
import dev.reel.ingest.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** Upload sessions as JSON objects next to their staged tails, under {@code uploads/<id>/}. */
public final class SessionStore {

    private static final ObjectMapper JSON = JsonResponses.MAPPER;
    private static final String SESSION_FILE = "session.json";

    private final ObjectStore store;

    public SessionStore(ObjectStore store) {
        this.store = store;
    }

    public Optional<UploadSession> load(String id) {
        return store.get(ObjectKeys.session(id)).map(bytes -> {
            try {
                return JSON.readValue(bytes, UploadSession.class);
            } catch (IOException e) {
                throw new UncheckedIOException("session " + id + " is unreadable", e);
            }
        });
    }

    public void save(UploadSession session) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(session);
            store.put(ObjectKeys.session(session.id()), bytes, bytes.length, "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the session and everything staged with it. */
    public void delete(String id) {
        store.deletePrefix(ObjectKeys.uploadPrefix(id));
    }

    /** The ids of every session in the bucket (for the expiry sweep). */
    public List<String> ids() {
        return store.list(ObjectKeys.UPLOADS_PREFIX).stream()
                .filter(key -> key.endsWith("/" + SESSION_FILE))
                .map(key -> key.substring(ObjectKeys.UPLOADS_PREFIX.length(), key.length() - SESSION_FILE.length() - 1))
                .toList();
    }
}
