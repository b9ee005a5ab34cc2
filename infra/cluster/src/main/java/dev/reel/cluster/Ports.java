package dev.reel.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback port helpers: tests take free ports, the launcher checks its fixed ones before starting anything. */
public final class Ports {

    private static final int FIRST_FREE = 10_000;
    private static final int END_FREE = 20_000;

    private Ports() {
    }

    /**
     * A port that was free a moment ago on 127.0.0.1, picked at random (so two JVMs rarely pick the same) from 10000-19999:
     * below the kernel's ephemeral range (32768-60999 on Linux by default), from which every outgoing connection takes
     * its local port, and below the blocks the platform tests take (20000-29999). A port the kernel picked from that
     * range was taken, before a broker bound it, by another broker's connection to a controller (CI, 1 Dec 2026).
     */
    public static int free() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(FIRST_FREE, END_FREE);
            if (isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 between " + FIRST_FREE + " and " + (END_FREE - 1));
    }

    /** Fails with a message that names the port and its use when something already listens there. */
    public static void requireFree(int port, String usedFor) {
        if (!isFree(port)) {
            throw new PortInUseException(port, usedFor);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
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
