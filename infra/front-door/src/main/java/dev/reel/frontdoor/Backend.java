package dev.reel.frontdoor;

/**
 * One server behind the front door.
 *
 * @param name a short unique name within its group, e.g. {@code edge-1}; letters, digits, {@code _.-}
 * @param host its address
 * @param port its HTTP port
 */
public record Backend(String name, String host, int port) {

    public Backend {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("backend name must be 1-64 of [A-Za-z0-9_.-], was " + name);
        }
        if (host == null || !host.matches("[A-Za-z0-9_.:-]{1,253}")) {
            throw new IllegalArgumentException("backend host must be a host name or address, was " + host);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("backend port must be 1-65535, was " + port);
        }
    }
}
