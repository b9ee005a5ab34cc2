package dev.reel.transcoder.storyboard;

import dev.reel.events.Storyboard;
import dev.reel.events.objects.ObjectKeys;
import java.util.Locale;

/**
 * The storyboard's WebVTT file: one cue per tile, its time range on the video's timeline (from 0, the timeline the
 * player's {@code currentTime} is on) and its rectangle of the sprite as a media fragment
 * ({@code storyboard.jpg#xywh=x,y,w,h}, the form JW Player, Video.js plugins and Mux use). The sprite is named
 * relative to the file, so the file is valid wherever both are served side by side.
 */
public final class StoryboardVtt {

    private StoryboardVtt() {
    }

    /** @param durationSeconds the video's duration: where the last cue ends (if it ends after the last tile starts) */
    public static String render(Storyboard storyboard, double durationSeconds) {
        StringBuilder text = new StringBuilder("WEBVTT\n");
        double interval = storyboard.intervalSeconds();
        for (int i = 0; i < storyboard.tiles(); i++) {
            double start = i * interval;
            double end = (i + 1) * interval;
            if (i == storyboard.tiles() - 1) {
                end = durationSeconds > start ? durationSeconds : end;
            }
            text.append('\n').append(timestamp(start)).append(" --> ").append(timestamp(end)).append('\n')
                    .append(ObjectKeys.STORYBOARD_SPRITE).append("#xywh=").append(storyboard.x(i)).append(',')
                    .append(storyboard.y(i)).append(',').append(storyboard.tileWidth()).append(',')
                    .append(storyboard.tileHeight()).append('\n');
        }
        return text.toString();
    }

    /** {@code hh:mm:ss.ttt}, as WebVTT requires (hours always written, so any length reads the same). */
    static String timestamp(double seconds) {
        long millis = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60,
                millis % 1000);
    }
}
