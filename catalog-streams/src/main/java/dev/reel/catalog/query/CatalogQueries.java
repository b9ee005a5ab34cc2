package dev.reel.catalog.query;

import dev.reel.catalog.query.Json.Trending;
import dev.reel.catalog.query.Json.VideoPage;
import dev.reel.catalog.query.Json.VideoViews;
import dev.reel.catalog.routing.KeyOwnerRouter;
import dev.reel.catalog.routing.KeyOwnerRouter.PeerUnavailableException;
import dev.reel.catalog.topology.CatalogEntry;
import dev.reel.catalog.topology.CatalogTopology;
import dev.reel.catalog.topology.TrendingWindow;
import dev.reel.events.VideoRecord;
import dev.reel.events.serde.VideoRecordSerializer;
import dev.reel.events.topics.Topics;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.http.HttpStatus;

/** What each endpoint of the query API answers, wherever the data lives. */
public final class CatalogQueries {

    /** Internal endpoint: one instance's part of a video page. */
    public static final String LOCAL_VIDEOS_PATH = "/api/catalog/internal/videos";
    /** Internal endpoint: one instance's part of trending. */
    public static final String LOCAL_TRENDING_PATH = "/api/catalog/internal/trending";

    private final KafkaStreams streams;
    private final KeyOwnerRouter router;
    private final LocalStores local;
    private final Clock clock;
    private final VideoRecordSerializer records = new VideoRecordSerializer();

    public CatalogQueries(KafkaStreams streams, KeyOwnerRouter router, LocalStores local, Clock clock) {
        this.streams = streams;
        this.router = router;
        this.local = local;
        this.clock = clock;
    }

    /** {@code GET /api/catalog/videos/{id}}: the record, 404 when unknown or deleted. */
    public ApiResponse video(String videoId, String pathAndQuery, boolean forwarded) {
        return router.byKey(CatalogTopology.VIDEOS_STORE, videoId, pathAndQuery, forwarded,
                (partition, stale) -> local.video(videoId, partition, stale),
                entry -> videoAnswer(videoId, entry));
    }

    private ApiResponse videoAnswer(String videoId, Optional<CatalogEntry> entry) {
        Optional<VideoRecord> record = entry.flatMap(CatalogEntry::record);
        if (record.isPresent()) {
            return ApiResponse.json(HttpStatus.OK_200, records.serialize(Topics.CATALOG, record.get()), "local");
        }
        boolean deleted = entry.map(CatalogEntry::deleted).orElse(false);
        return ApiResponse.json(HttpStatus.NOT_FOUND_404, Json.error(deleted ? "video deleted" : "no such video", videoId),
                "local");
    }

    /** {@code GET /api/catalog/videos/{id}/views}: total views, 0 for a video never played. */
    public ApiResponse views(String videoId, String pathAndQuery, boolean forwarded) {
        return router.byKey(CatalogTopology.VIEWS_STORE, videoId, pathAndQuery, forwarded,
                (partition, stale) -> local.views(videoId, partition, stale),
                count -> ApiResponse.json(HttpStatus.OK_200, Json.write(new VideoViews(videoId, count.orElse(0L))), "local"));
    }

    /** {@code GET /api/catalog/videos}: a page over every instance, by video id, with a cursor to the next. */
    public ApiResponse list(VideoFilter filter, int limit, String afterVideoId) {
        // One more than asked tells whether a next page exists.
        String query = LOCAL_VIDEOS_PATH + "?limit=" + (limit + 1)
                + filter.asQueryParameters()
                + (afterVideoId == null ? "" : "&after=" + afterVideoId);
        return gathered(CatalogTopology.VIDEOS_STORE, query,
                () -> localPageJson(filter, afterVideoId, limit + 1),
                bodies -> {
                    List<VideoRecord> merged = bodies.stream()
                            .flatMap(body -> Json.read(body, VideoPage.class).videos().stream())
                            .sorted(Comparator.comparing(VideoRecord::videoId))
                            .limit(limit + 1)
                            .toList();
                    boolean more = merged.size() > limit;
                    List<VideoRecord> page = more ? merged.subList(0, limit) : merged;
                    String next = more ? Cursors.encode(page.getLast().videoId()) : null;
                    return Json.write(new VideoPage(page, next));
                });
    }

    /** {@code GET /api/catalog/trending}: the most viewed videos of the window over every instance. */
    public ApiResponse trending(TrendingWindow window, int limit) {
        String query = LOCAL_TRENDING_PATH + "?window=" + window.label() + "&limit=" + limit;
        return gathered(window.storeName(), query,
                () -> localTrendingJson(window, limit),
                bodies -> {
                    // Each video is counted on one instance only, so the top of the union is the top of the tops.
                    List<VideoViews> top = bodies.stream()
                            .flatMap(body -> Json.read(body, Trending.class).videos().stream())
                            .sorted(LocalStores.MOST_VIEWED)
                            .limit(limit)
                            .toList();
                    return Json.write(new Trending(window.label(), top));
                });
    }

    /** This instance's part of a page. */
    public ApiResponse localPage(VideoFilter filter, int limit, String afterVideoId) {
        return locally(() -> localPageJson(filter, afterVideoId, limit));
    }

    /** This instance's part of trending. */
    public ApiResponse localTrending(TrendingWindow window, int limit) {
        return locally(() -> localTrendingJson(window, limit));
    }

    private byte[] localPageJson(VideoFilter filter, String afterVideoId, int limit) {
        return Json.write(new VideoPage(local.page(filter, afterVideoId, limit), null));
    }

    private byte[] localTrendingJson(TrendingWindow window, int limit) {
        return Json.write(new Trending(window.label(), local.trending(window, clock.instant(), limit)));
    }

    private ApiResponse locally(Supplier<byte[]> body) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return ApiResponse.unavailable("the catalog is " + streams.state() + "; try again");
        }
        try {
            return ApiResponse.json(HttpStatus.OK_200, body.get(), "local");
        } catch (InvalidStateStoreException e) {
            return ApiResponse.unavailable("this instance's stores are migrating; try again");
        }
    }

    private ApiResponse gathered(String store, String query, Supplier<byte[]> localPart,
            Function<List<byte[]>, byte[]> merge) {
        try {
            return ApiResponse.json(HttpStatus.OK_200, merge.apply(router.gather(store, query, localPart)), "scatter");
        } catch (PeerUnavailableException e) {
            return ApiResponse.unavailable(e.getMessage());
        }
    }
}
