package dev.reel.frontdoor;

import java.util.List;

/**
 * What the front door fronts: the address it listens on and the groups of servers behind it.
 *
 * @param bindHost  where HAProxy listens
 * @param port      the public port (REEL_PUBLIC_URL's)
 * @param edges     edge servers (at least one)
 * @param ingest    ingest instances ({@code /api/videos*}, {@code /api/uploads*}); may be empty
 * @param catalog   catalog-streams instances ({@code /api/catalog/*}); may be empty
 * @param analytics analytics-streams instances ({@code /api/analytics/*}); may be empty
 * @param webhooks  webhooks instances ({@code /api/webhooks*}); may be empty
 * @param statsPort a port for HAProxy's stats page, or 0 for none
 */
public record FrontDoor(String bindHost, int port, List<Backend> edges, List<Backend> ingest, List<Backend> catalog,
        List<Backend> analytics, List<Backend> webhooks, int statsPort) {

    public FrontDoor {
        edges = List.copyOf(edges);
        ingest = List.copyOf(ingest);
        catalog = List.copyOf(catalog);
        analytics = List.copyOf(analytics);
        webhooks = List.copyOf(webhooks);
        if (edges.isEmpty()) {
            throw new IllegalArgumentException("the front door needs at least one edge");
        }
    }

    /** A front door without analytics or webhooks instances. */
    public FrontDoor(String bindHost, int port, List<Backend> edges, List<Backend> ingest, List<Backend> catalog,
            int statsPort) {
        this(bindHost, port, edges, ingest, catalog, List.of(), List.of(), statsPort);
    }
}
