package dev.reel.transcoder.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.Storyboard;
import org.junit.jupiter.api.Test;

class StoryboardVttTest {

    @Test
    void oneCuePerTileWithItsRectangleOfTheSpriteAndTheLastEndingWithTheVideo() {
        String vtt = StoryboardVtt.render(new Storyboard(2, 160, 90, 3, 2), 5.5);
        assertThat(vtt).isEqualTo("""
                WEBVTT

                00:00:00.000 --> 00:00:02.000
                storyboard.jpg#xywh=0,0,160,90

                00:00:02.000 --> 00:00:04.000
                storyboard.jpg#xywh=160,0,160,90

                00:00:04.000 --> 00:00:05.500
                storyboard.jpg#xywh=0,90,160,90
                """);
    }

    @Test
    void longVideosWriteHoursAndALastCueNeverEndsBeforeItStarts() {
        assertThat(StoryboardVtt.timestamp(3723.4567)).isEqualTo("01:02:03.457");
        assertThat(StoryboardVtt.render(new Storyboard(2, 160, 90, 1, 1), 0)).contains("00:00:00.000 --> 00:00:02.000");
    }
}
