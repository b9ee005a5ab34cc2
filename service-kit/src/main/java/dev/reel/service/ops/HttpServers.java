package dev.reel.service.ops;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Jetty server the Reel way: a named thread pool, one connector, a graceful stop that lets requests finish, and the
 * same limits everywhere: request line and headers at most {@value #MAX_HEADER_BYTES} bytes (431 or 414 beyond, before
 * any handler runs), a connection idle for {@value #IDLE_TIMEOUT_MS} ms closed (a slowloris client holding connections
 * open with a byte now and then costs a selector key, no thread, and is cut off once it stalls), and request bodies at
 * most the service's limit (413 beyond).
 */
public final class HttpServers {

    /** Request line plus headers: URIs and headers longer than any Reel client sends. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final long IDLE_TIMEOUT_MS = 30_000;
    /** For services that take no request body larger than a small JSON document (catalog, edges, transcoders). */
    public static final long SMALL_BODIES = 64 * 1024;
    /** For services whose handlers bound every body themselves (ingest: the upload size limit). */
    public static final long NO_BODY_LIMIT = -1;

    /**
     * Where the connector reads requests into. Jetty's default, direct buffers, spares a copy of large request bodies;
     * heap buffers let its parser take a request target in one bulk scan instead of byte by byte, which halves what a
     * long query string (a player's CMCD on every segment request) costs a server of small requests.
     */
    public enum InputBuffers {
        DIRECT, HEAP
    }

    private HttpServers() {
    }

    /**
     * Creates and starts a server on {@code host:port} (port 0 picks a free one: read it from {@link #port}).
     *
     * @param maxBodyBytes the largest request body a handler ever sees, or {@link #NO_BODY_LIMIT}
     */
    public static Server start(String name, String host, int port, long maxBodyBytes, Handler handler) throws Exception {
        return start(name, host, port, maxBodyBytes, InputBuffers.DIRECT, handler);
    }

    /** As {@link #start(String, String, int, long, Handler)}, reading requests into the buffers given. */
    public static Server start(String name, String host, int port, long maxBodyBytes, InputBuffers input, Handler handler)
            throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(name + "-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setUseInputDirectByteBuffers(input == InputBuffers.DIRECT);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(connector);
        SizeLimitHandler bodies = new SizeLimitHandler(maxBodyBytes, -1);
        bodies.setHandler(handler);
        server.setHandler(bodies);
        // On stop, refuse new connections and give running requests this long to finish.
        server.setStopTimeout(10_000);
        server.setStopAtShutdown(false); // stopped by the service's ordered shutdown, not by Jetty's own hook
        server.start();
        return server;
    }

    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
