package dev.reel.catalog.query;

import dev.reel.catalog.query.Json.Trending;
import dev.reel.catalog.query.Json.VideoPage;
import dev.reel.catalog.query.Json.VideoViews;
import dev.reel.catalog.routing.KeyOwnerRouter;
import dev.reel.catalog.routing.KeyOwnerRouter.Absence;
import dev.reel.catalog.routing.KeyOwnerRouter.PeerUnavailableException;
import dev.reel.catalog.topology.CatalogEntry;
import dev.reel.catalog.topology.CatalogTopology;
import dev.reel.catalog.topology.TrendingWindow;
import dev.reel.events.VideoRecord;
import dev.reel.events.Visibility;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.serde.VideoRecordDeserializer;
import dev.reel.events.serde.VideoRecordSerializer;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.PlaybackTokens;
import dev.reel.service.auth.Viewer;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each endpoint of the query APIs answers, wherever the data lives. The stored answers ({@link #storedVideo},
 * {@link #storedViews}, the local parts) know no visibility rule; the public ones apply {@link Viewer#maySee} to the
 * record, so a private video is, to anyone who may not see it, the same 404 as an id that never existed.
 */
public final class CatalogQueries {

    private static final Logger log = LoggerFactory.getLogger(CatalogQueries.class);

    private final KafkaStreams streams;
    private final KeyOwnerRouter router;
    private final LocalStores local;
    private final PlaybackTokens tokens;
    private final Clock clock;
    private final VideoRecordSerializer records = new VideoRecordSerializer();
    private final VideoRecordDeserializer recordReader = new VideoRecordDeserializer();

    /** @param tokens checks playback tokens of private videos, or {@code null} when this instance has no token key */
    public CatalogQueries(KafkaStreams streams, KeyOwnerRouter router, LocalStores local, PlaybackTokens tokens, Clock clock) {
        this.streams = streams;
        this.router = router;
        this.local = local;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** {@code GET /api/catalog/videos/{id}}: the record if {@code viewer} may see it, else the unknown id's 404. */
    public ApiResponse video(String videoId, Viewer viewer) {
        ApiResponse stored = storedVideo(videoId, false);
        if (stored.status() == HttpStatus.NOT_FOUND_404) {
            return notFound(videoId);
        }
        if (stored.status() != HttpStatus.OK_200) {
            return stored;
        }
        VideoRecord record = read(stored.body());
        boolean visible = record != null && viewer.maySee(videoId, record.owner(), record.visibility() == Visibility.PRIVATE,
                tokens, clock.instant());
        return visible ? stored : notFound(videoId);
    }

    /** {@code GET /api/catalog/videos/{id}/views}: total views (0 for a video never played) of a video the viewer may see. */
    public ApiResponse views(String videoId, Viewer viewer) {
        ApiResponse video = video(videoId, viewer);
        return video.status() == HttpStatus.OK_200 ? storedViews(videoId, false) : video;
    }

    /**
     * The stored record, from the instance that owns the key: 404 when unknown or deleted.
     *
     * @param forwarded the request came from another instance: never forward it again
     */
    public ApiResponse storedVideo(String videoId, boolean forwarded) {
        return router.byKey(CatalogTopology.VIDEOS_STORE, Absence.NEEDS_CAUGHT_UP_COPY, videoId,
                InternalApiHandler.video(videoId), forwarded,
                (partition, stale) -> local.video(videoId, partition, stale),
                entry -> entry.flatMap(CatalogEntry::record)
                        .map(record -> ApiResponse.json(HttpStatus.OK_200, records.serialize(Topics.CATALOG, record), "local"))
                        .orElseGet(() -> notFound(videoId)));
    }

    /** The stored view count, from the instance that owns the key; 0 for a video never played. */
    public ApiResponse storedViews(String videoId, boolean forwarded) {
        return router.byKey(CatalogTopology.VIEWS_STORE, Absence.IS_A_STALE_ZERO, videoId, InternalApiHandler.views(videoId),
                forwarded,
                (partition, stale) -> local.views(videoId, partition, stale),
                count -> ApiResponse.json(HttpStatus.OK_200, Json.write(new VideoViews(videoId, count.orElse(0L))), "local"));
    }

    /** The one answer for an id nobody may see: unknown, deleted, or private to someone else. */
    private static ApiResponse notFound(String videoId) {
        return ApiResponse.json(HttpStatus.NOT_FOUND_404, Json.error("no such video", videoId), "local");
    }

    private VideoRecord read(byte[] body) {
        try {
            return recordReader.deserialize(Topics.CATALOG, body);
        } catch (MalformedEventException e) {
            log.error("unreadable record from the store: {}", e.getMessage());
            return null;
        }
    }

    /** {@code GET /api/catalog/videos}: a page over every instance, by video id, with a cursor to the next. */
    public ApiResponse list(VideoFilter filter, int limit, String afterVideoId) {
        // One more than asked tells whether a next page exists.
        String query = InternalApiHandler.VIDEOS_PATH + "?limit=" + (limit + 1)
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

    /**
     * {@code GET /api/catalog/trending}: the most viewed public videos of the window over every instance. Views are
     * counted by the playback topic's partitions, not the catalog's, so each instance gives more candidates than asked
     * and each candidate's record is read (locally or from its owner) to keep only public videos; a candidate whose
     * record cannot be read now is left out, never shown unchecked.
     */
    public ApiResponse trending(TrendingWindow window, int limit) {
        int candidates = Math.min(InternalApiHandler.MAX_LOCAL, limit * 3 + 10);
        String query = InternalApiHandler.TRENDING_PATH + "?window=" + window.label() + "&limit=" + candidates;
        return gathered(window.storeName(), query,
                () -> localTrendingJson(window, candidates),
                bodies -> {
                    // Each video is counted on one instance only, so the top of the union is the top of the tops.
                    List<VideoViews> top = bodies.stream()
                            .flatMap(body -> Json.read(body, Trending.class).videos().stream())
                            .sorted(LocalStores.MOST_VIEWED)
                            .filter(this::isPublic)
                            .limit(limit)
                            .toList();
                    return Json.write(new Trending(window.label(), top));
                });
    }

    private boolean isPublic(VideoViews candidate) {
        ApiResponse stored = storedVideo(candidate.videoId(), false);
        if (stored.status() != HttpStatus.OK_200) {
            return false;
        }
        VideoRecord record = read(stored.body());
        return record != null && record.visibility() == Visibility.PUBLIC;
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
