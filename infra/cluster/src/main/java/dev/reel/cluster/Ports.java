package dev.reel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers: tests take free ports, the launcher checks its fixed ones before starting anything. */
public final class Ports {

    private Ports() {
    }

    /** A port that was free a moment ago on 127.0.0.1 (the kernel's choice, so two JVMs rarely collide). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** Fails with a message that names the port and its use when something already listens there. */
    public static void requireFree(int port, String usedFor) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new PortInUseException(port, usedFor);
        }
    }

    /** Raised before anything starts, so the user sees one clear line instead of a child's stack trace. */
    public static final class PortInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortInUseException(int port, String usedFor) {
            super("port " + port + " (" + usedFor + ") is already in use on 127.0.0.1: stop what holds it"
                    + " (another Reel? `ss -ltnp 'sport = :" + port + "'` tells) or choose other ports");
        }
    }
}
