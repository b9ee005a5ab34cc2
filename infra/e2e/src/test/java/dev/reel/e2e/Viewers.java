package dev.reel.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients streaming through the front door like an HLS player: master playlist (one view), a rendition playlist,
 * the init segment and every media segment, over and over, each request retried with a player's patience.
 */
final class Viewers extends ClientLoad {

    /**
     * Between two segments: a player asks for one every few seconds (a segment's length, 4 s); this is still eight times
     * that, while leaving the two cores of a test machine to the work the fault checks wait for (ladders, restarts)
     * instead of to the load.
     */
    private static final Duration PACE = Duration.ofMillis(500);

    private final Map<String, LongAdder> viewsStarted;

    /** @param viewsStarted where each successful master playlist request is counted (one view), per video */
    private Viewers(FrontDoor front, Map<String, LongAdder> viewsStarted) {
        super(front, FrontDoor.PLAYER_PATIENCE);
        this.viewsStarted = viewsStarted;
    }

    /** {@code clients} viewers, viewer {@code i} watching {@code videos[i % n]} again and again. */
    static Viewers start(FrontDoor front, int clients, List<String> videos, Map<String, LongAdder> viewsStarted) {
        Viewers viewers = new Viewers(front, viewsStarted);
        viewers.startClients("viewer", clients, i -> () -> viewers.watch(videos.get(i % videos.size())));
        return viewers;
    }

    private void watch(String videoId) {
        try {
            while (running()) {
                String master = text(fetch("/v/" + videoId + "/master.m3u8?session=" + UUID.randomUUID()));
                if (master == null) {
                    continue;
                }
                viewsStarted.computeIfAbsent(videoId, id -> new LongAdder()).increment();
                String variant = uris(master).getFirst();
                String rendition = variant.substring(0, variant.indexOf('/'));
                String playlist = text(fetch("/v/" + videoId + "/" + variant));
                if (playlist == null) {
                    continue;
                }
                fetch("/v/" + videoId + "/" + rendition + "/init.mp4");
                for (String segment : uris(playlist)) {
                    if (!running()) {
                        break;
                    }
                    fetch("/v/" + videoId + "/" + rendition + "/" + segment);
                    Thread.sleep(PACE);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String text(byte[] body) {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    private static List<String> uris(String playlist) {
        return playlist.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
