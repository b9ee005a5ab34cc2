package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonNegative;
import static dev.reel.events.Checks.percentage;
import static dev.reel.events.Checks.validVideoId;

/**
 * How far a running transcode is; written to {@code reel.transcode}.
 *
 * @param videoId the video
 * @param worker  the worker instance
 * @param percent 0 to 100
 * @param speed   encoding speed as a multiple of real time (ffmpeg's {@code speed})
 */
public record TranscodeProgress(String videoId, String worker, double percent, double speed) implements EventData {

    public TranscodeProgress {
        validVideoId(videoId);
        nonBlank(worker, "worker");
        percentage(percent, "percent");
        nonNegative(speed, "speed");
    }
}
