package dev.reel.e2e;

import java.time.Duration;
import java.util.List;

/**
 * Clients reading the catalog API through the front door, each retrying a 503 after its {@code Retry-After} for up
 * to a minute, as a careful API client (or a page polling a view count) would.
 */
final class CatalogQueries extends ClientLoad {

    private final List<String> videos;

    private CatalogQueries(FrontDoor front, List<String> videos) {
        super(front, Duration.ofSeconds(60));
        this.videos = List.copyOf(videos);
    }

    /** {@code clients} readers asking for each video's record and view count in turn. */
    static CatalogQueries start(FrontDoor front, int clients, List<String> videos) {
        CatalogQueries load = new CatalogQueries(front, videos);
        load.startClients("catalog-reader", clients, first -> () -> load.read(first));
        return load;
    }

    private void read(int next) {
        try {
            for (int i = next; running(); i++) {
                String video = videos.get(i % videos.size());
                fetch(i % 2 == 0 ? "/api/catalog/videos/" + video : "/api/catalog/videos/" + video + "/views");
                Thread.sleep(100); // each reader 10 queries a second: load, without starving the restart it runs across
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
