package dev.reel.e2e;

import dev.reel.events.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Where the time to publish an upload went, from its events' own times (epoch ms, 0 when there is none): the ingest's
 * {@code reel.video.uploaded} (written after its probe of the whole file) and the transcoder's first
 * {@code reel.rendition.ready} with pictures (growing or complete).
 */
record PublishEvents(long uploadedAt, long firstPictureAt) {

    static PublishEvents of(EventHistory history, String video) {
        return new PublishEvents(
                firstTime(history.of(Topics.UPLOADS, video), e -> e.type().equals("reel.video.uploaded")),
                firstTime(history.of(Topics.TRANSCODE, video), e -> e.type().equals("reel.rendition.ready")
                        && !"audio".equals(e.data().path("rendition").path("kind").asText("video").toLowerCase(Locale.ROOT))));
    }

    private static long firstTime(List<EventHistory.Event> events, Predicate<EventHistory.Event> which) {
        return events.stream().filter(which).mapToLong(e -> Instant.parse(e.json().get("time").asText()).toEpochMilli())
                .findFirst().orElse(0);
    }
}
