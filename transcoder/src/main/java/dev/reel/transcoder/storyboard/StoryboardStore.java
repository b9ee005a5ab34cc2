package dev.reel.transcoder.storyboard;

import dev.reel.events.Storyboard;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes a video's storyboard from the tiles its tasks stored: reads them, lays them out ({@link SpriteComposer}),
 * stores the sprite, then the WebVTT file that names it (so the file never names a sprite not yet stored). Both keys
 * are deterministic: composing again (an event reprocessed after a crash) overwrites them with the same content.
 */
public final class StoryboardStore {

    private static final Logger log = LoggerFactory.getLogger(StoryboardStore.class);
    public static final String JPEG = "image/jpeg";
    public static final String VTT = "text/vtt; charset=utf-8";

    private final ObjectStorage storage;
    private final LongConsumer bytesWritten;

    public StoryboardStore(ObjectStorage storage, LongConsumer bytesWritten) {
        this.storage = storage;
        this.bytesWritten = bytesWritten;
    }

    /**
     * @return the WebVTT file's key
     * @throws IOException storage failed (a missing tile does not fail: it is left grey and logged, rather than holding
     *                     up a video that plays)
     */
    public String compose(String videoId, Storyboard storyboard, double durationSeconds) throws IOException {
        List<byte[]> tiles = new ArrayList<>();
        int missing = 0;
        for (int n = 1; n <= storyboard.tiles(); n++) {
            byte[] tile = storage.read(ObjectKeys.storyboardTile(videoId, n)).map(StoredObject::bytes).orElse(null);
            missing += tile == null ? 1 : 0;
            tiles.add(tile);
        }
        if (missing > 0) {
            log.warn("{}: {} of {} storyboard tiles missing, left grey", videoId, missing, storyboard.tiles());
        }
        byte[] sprite = SpriteComposer.compose(storyboard, tiles);
        storage.put(ObjectKeys.storyboardSprite(videoId), sprite, JPEG);
        byte[] vtt = StoryboardVtt.render(storyboard, durationSeconds).getBytes(StandardCharsets.UTF_8);
        storage.put(ObjectKeys.storyboard(videoId), vtt, VTT);
        bytesWritten.accept(sprite.length + (long) vtt.length);
        return ObjectKeys.storyboard(videoId);
    }
}
