package dev.reel.edge.storage;

/** Storage has no object under the key: a 404 for the viewer, and never cached. */
public final class ObjectNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(String key) {
        super("no object " + key);
    }
}
