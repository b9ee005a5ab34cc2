package dev.reel.transcoder.it;

import java.util.ArrayList;
import java.util.List;

/** The objects a video's storyboard leaves in storage: its WebVTT file, its sprite and one tile per cue, nothing else. */
final class StoryboardObjects {

    private StoryboardObjects() {
    }

    /** @param vtt the storyboard's WebVTT file, as stored under {@code storyboardKey} */
    static List<String> keys(String videoId, String storyboardKey, String vtt) {
        List<String> keys = new ArrayList<>(List.of(storyboardKey, "media/" + videoId + "/storyboard.jpg"));
        long cues = vtt.lines().filter(l -> l.contains("-->")).count();
        for (int n = 1; n <= cues; n++) {
            keys.add(String.format("media/%s/storyboard/tile-%05d.jpg", videoId, n));
        }
        return keys;
    }
}
