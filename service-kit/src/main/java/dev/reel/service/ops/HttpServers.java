package dev.reel.service.ops;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A Jetty server the Reel way: a named thread pool, one connector, a graceful stop that lets requests finish. */
public final class HttpServers {

    private HttpServers() {
    }

    /** Creates and starts a server on {@code host:port} (port 0 picks a free one: read it from {@link #port}). */
    public static Server start(String name, String host, int port, Handler handler) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(name + "-http");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(handler);
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
