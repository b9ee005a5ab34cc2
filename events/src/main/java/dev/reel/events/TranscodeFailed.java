package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.positive;
import static dev.reel.events.Checks.validVideoId;

/**
 * A video could not be transcoded and will not be retried; written to {@code reel.transcode}.
 *
 * @param videoId  the video
 * @param worker   the worker that gave up
 * @param attempts how many attempts were made
 * @param reason   why, typically the trimmed tail of ffmpeg's stderr
 */
public record TranscodeFailed(String videoId, String worker, int attempts, String reason) implements EventData {

    public TranscodeFailed {
        validVideoId(videoId);
        nonBlank(worker, "worker");
        positive(attempts, "attempts");
        nonBlank(reason, "reason");
    }
}
