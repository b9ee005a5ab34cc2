package dev.reel.transcoder.job;

import dev.reel.events.Rendition;
import dev.reel.events.RenditionReady;
import dev.reel.events.publish.EventWriter;
import dev.reel.transcoder.ffmpeg.Progress;
import dev.reel.transcoder.storage.OutputRendition;
import dev.reel.transcoder.storage.RenditionUploader;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a video playable while its one ffmpeg still encodes the whole ladder, as a live-to-VOD service does: once
 * enough of a rendition is stored that a viewer starting now will not stall ({@link NoStallStart}), its playlist is
 * stored as an HLS {@code EVENT} playlist of the stored segments and a {@code rendition.ready} marked growing is
 * written, lowest rendition first. After that, each time more of an announced rendition is stored, its playlist is
 * stored again with the new segments, without a new event: edges and players re-read playlists of unfinished videos.
 *
 * <p>One ffmpeg feeds every rendition from the same frames, so without this all renditions would become playable at
 * the very end of the job. Used by the job's thread only, between checks of the running ffmpeg.
 */
final class GrowingRenditions {

    private static final Logger log = LoggerFactory.getLogger(GrowingRenditions.class);

    private final RenditionUploader uploader;
    private final EventWriter events;
    private final NoStallStart rule;
    private final String videoId;
    private final List<OutputRendition> plan;
    private final double durationSeconds;
    private final Map<String, Integer> segmentsInPlaylist = new HashMap<>(); // announced renditions
    private int announced;

    /** @param plan the renditions in the order they are announced (the audio rendition first: it plays nothing alone) */
    GrowingRenditions(RenditionUploader uploader, EventWriter events, NoStallStart rule, String videoId,
            List<OutputRendition> plan, double durationSeconds) {
        this.uploader = uploader;
        this.events = events;
        this.rule = rule;
        this.videoId = videoId;
        this.plan = plan;
        this.durationSeconds = durationSeconds;
    }

    /** Whether every rendition has been announced. */
    boolean allAnnounced() {
        return announced == plan.size();
    }

    /**
     * Announces the renditions that may now start, lowest first, and extends the playlists of those announced.
     *
     * @param progress ffmpeg's latest progress, or {@code null} before the first
     */
    void update(Progress progress) throws IOException, InterruptedException {
        double speed = progress == null ? 0 : progress.speed();
        while (announced < plan.size() && rule.allows(durationSeconds, uploader.stored(plan.get(announced).name()), speed)) {
            OutputRendition next = plan.get(announced);
            Rendition growing = uploader.storeGrowing(next);
            events.publish(new RenditionReady(videoId, growing));
            segmentsInPlaylist.put(next.name(), growing.segmentCount());
            announced++;
            log.info("{} {} playable while transcoding: {} of {} s stored, encoding at {}x", videoId, next.name(),
                    String.format("%.1f", growing.durationSeconds()), String.format("%.1f", durationSeconds), speed);
        }
        for (OutputRendition rendition : plan.subList(0, announced)) {
            if (uploader.stored(rendition.name()).segments() > segmentsInPlaylist.get(rendition.name())) {
                segmentsInPlaylist.put(rendition.name(), uploader.storeGrowing(rendition).segmentCount());
            }
        }
    }
}
